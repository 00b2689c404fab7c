#!/bin/sh
# Benchmark of `postcard build`: every module in modules/ (or 20 generated from them when there
# are fewer) built for SCORM 1.2, 2004 3rd and 2004 4th (read, check, render, validate, zip),
# against the npm package simple-scorm-packager zipping the same already-rendered folders into
# SCORM 1.2 packages (packaging only), measured in the same run. Median wall time and peak RSS
# of RUNS runs each; the last line is one JSON object.
#   usage: bench/build.sh [POSTCARD]   (default build/cli/postcard; RUNS=5)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/cli/postcard}
runs=${RUNS:-5}
[ -x "$bin" ] || { echo "build postcard first (make build)"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time for peak RSS: apt-get install time"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the module set
mkdir "$tmp/set"
set -- "$root"/modules/*/module.xml
[ -f "$1" ] || set --
count=$#
if [ "$count" -ge 20 ]; then
	for m in "$@"; do cp -R "$(dirname "$m")" "$tmp/set/"; done
else
	# 20 modules: the real ones round robin under new ids, or scaffolds when there are none
	i=0
	while [ $i -lt 20 ]; do
		i=$((i + 1))
		name=$(printf 'bench-%02d' $i)
		if [ "$count" -gt 0 ]; then
			eval "src=\${$(((i - 1) % count + 1))}"
			cp -R "$(dirname "$src")" "$tmp/set/$name"
			sed -i '0,/<module /s/\(<module [^>]*\) id="[^"]*"/\1 id="'"$name"'"/' "$tmp/set/$name/module.xml"
		else
			"$bin" new "$tmp/set/$name" >/dev/null
		fi
	done
fi
nmod=$(ls "$tmp/set" | wc -l)

# the baseline, installed for this run only
mkdir "$tmp/npm"
(cd "$tmp/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error simple-scorm-packager@0.2.7 >/dev/null)
ssp_version=$(node -p "require('$tmp/npm/node_modules/simple-scorm-packager/package.json').version")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# postcard: one run = the three editions
pc_run() {
	out="$tmp/pc-out"
	rm -rf "$out"
	t=0 rss=0
	for ed in 1.2 2004-3rd 2004-4th; do
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" build "$tmp/set" -q -o "$out/$ed" --scorm "$ed"
		read -r e m <"$tmp/time"
		t=$(awk "BEGIN {print $t + $e}")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	echo "$t $rss"
}
pc_run >/dev/null # warm the file cache
: >"$tmp/pc"
i=0
while [ $i -lt "$runs" ]; do pc_run >>"$tmp/pc"; i=$((i + 1)); done
npkg=$(ls "$tmp/pc-out/1.2" | wc -l)

# already-rendered folders: the 1.2 packages unpacked, without our manifest and schemas
mkdir "$tmp/rendered"
for z in "$tmp/pc-out/1.2"/*.zip; do
	d="$tmp/rendered/$(basename "$z" .zip)"
	mkdir "$d"
	unzip -q "$z" -d "$d"
	rm -f "$d"/imsmanifest.xml "$d"/*.xsd
done
cat >"$tmp/npm/pack.js" <<'JS'
const scopackager = require('simple-scorm-packager');
const fs = require('fs'), path = require('path');
const [src, out] = process.argv.slice(2);
const dirs = fs.readdirSync(src).sort();
(async () => {
  for (const d of dirs) {
    await new Promise((resolve) => scopackager({
      version: '1.2', organization: 'Postcard bench', title: d, language: 'en-GB',
      identifier: d, masteryScore: 80, startingPage: 'index.html',
      source: path.join(src, d),
      package: { zip: true, outputFolder: out, version: '1.0.0', date: '2020-01-01' },
    }, resolve));
  }
})();
JS
ssp_run() {
	rm -rf "$tmp/ssp-out" "$tmp/rendered-copy"
	cp -R "$tmp/rendered" "$tmp/rendered-copy" # it writes its manifest into the source folder
	/usr/bin/time -f '%e %M' -o "$tmp/time" node "$tmp/npm/pack.js" "$tmp/rendered-copy" "$tmp/ssp-out" >/dev/null 2>&1
	cat "$tmp/time"
}
ssp_run >/dev/null
: >"$tmp/ssp"
i=0
while [ $i -lt "$runs" ]; do ssp_run >>"$tmp/ssp"; i=$((i + 1)); done
nssp=$(ls "$tmp/ssp-out"/*.zip | wc -l)
[ "$nssp" = "$npkg" ] || { echo "baseline made $nssp packages, expected $npkg"; exit 1; }

pc_t=$(cut -d' ' -f1 "$tmp/pc" | median)
pc_rss=$(cut -d' ' -f2 "$tmp/pc" | median)
ssp_t=$(cut -d' ' -f1 "$tmp/ssp" | median)
ssp_rss=$(cut -d' ' -f2 "$tmp/ssp" | median)
ratio=$(awk "BEGIN {printf \"%.3f\", $pc_t / $ssp_t}")
echo "postcard (3 editions, $nmod modules): runs $(cut -d' ' -f1 "$tmp/pc" | tr '\n' ' ')s"
echo "simple-scorm-packager $ssp_version (SCORM 1.2 packaging only): runs $(cut -d' ' -f1 "$tmp/ssp" | tr '\n' ' ')s"
printf '{"bench":"build","modules":%s,"editions":3,"runs":%s,"postcard_median_s":%s,"postcard_peak_rss_kb":%s,"baseline":"simple-scorm-packager %s, SCORM 1.2 packaging of the rendered folders","baseline_median_s":%s,"baseline_peak_rss_kb":%s,"ratio_postcard_to_baseline":%s}\n' \
	"$nmod" "$runs" "$pc_t" "$pc_rss" "$ssp_version" "$ssp_t" "$ssp_rss" "$ratio"
