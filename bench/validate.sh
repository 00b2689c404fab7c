#!/usr/bin/env bash
# Benchmark: `postcard validate` on a large SCORM 2004 4th Edition package (5,000 files, 1,000
# resources and items, a manifest over 2 MB) against the baseline `xmllint --noout --nonet
# --schema <official 4th-edition wrapper>` on the same manifest (xmllint does only the schema
# part; postcard also reads and CRC-checks the whole zip and runs every check). Each is run
# RUNS times (default 9), alternating, in the same session; the medians of wall time and of CPU
# time (user + sys), their ratios, the peak RSS of each and the load average are printed as one
# JSON line at the end. The target is ratio <= 1.0.
# BENCH_CALLGRIND=1 also counts the instructions of one run of each under valgrind's callgrind
# (every thread's, so the work done, not the time taken): unlike times, the count is the same
# on a loaded machine, which makes it the measure to compare changes by on a shared one.
#
# usage: bench/validate.sh [POSTCARD] [RUNS]     (run from anywhere; build first; 9+ runs on a
# shared machine)
# The official schemas are looked for in ../shared beside the checkout, or $POSTCARD_SHARED_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/cli/postcard}
runs=${2:-9}
shared=${POSTCARD_SHARED_DIR:-$root/../shared}
wrapper=$shared/scorm-schemas/wrappers/scorm2004-4th.xsd
[ -x "$bin" ] || { echo "no postcard binary at $bin (make build)" >&2; exit 2; }
[ -f "$wrapper" ] || { echo "no official schemas at $wrapper: the baseline needs them" >&2; exit 2; }
command -v xmllint >/dev/null || { echo "xmllint is missing (apt-get install libxml2-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

# BENCH_KEEP=DIR keeps the generated package there (for profiling); otherwise a temporary folder
if [ -n "${BENCH_KEEP:-}" ]; then
	work=$BENCH_KEEP
	rm -rf "$work" && mkdir -p "$work"
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
pkg=$work/pkg
mkdir -p "$pkg"

# --- the package: 1,000 SCOs, each with 4 files of its own and a dependency on a shared
# asset resource; 1,000 files more in the shared assets (5,000 files in all) ---
awk -v out="$pkg" 'BEGIN {
	n = 1000
	m = out "/imsmanifest.xml"
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" > m
	printf "<manifest identifier=\"bench.large.course\" version=\"1.0\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\" xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd\">\n" >> m
	printf "  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>2004 4th Edition</schemaversion>\n  </metadata>\n" >> m
	printf "  <organizations default=\"org\">\n    <organization identifier=\"org\" adlseq:objectivesGlobalToSystem=\"false\">\n      <title>Knowledge Mobilisation Framework: the large benchmark course</title>\n" >> m
	for (i = 1; i <= n; i++) {
		printf "      <item identifier=\"item_%04d\" identifierref=\"res_%04d\" isvisible=\"true\">\n", i, i >> m
		printf "        <title>Module %04d: learning before, during and after a piece of work, with peer assists, after action reviews and retrospects</title>\n", i >> m
		printf "        <adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.8\"/>\n" >> m
		printf "        <imsss:sequencing>\n          <imsss:sequencingRules>\n            <imsss:preConditionRule>\n              <imsss:ruleConditions>\n                <imsss:ruleCondition referencedObjective=\"obj_%04d_prereq\" operator=\"not\" condition=\"satisfied\"/>\n              </imsss:ruleConditions>\n              <imsss:ruleAction action=\"disabled\"/>\n            </imsss:preConditionRule>\n          </imsss:sequencingRules>\n", i >> m
		printf "          <imsss:objectives>\n            <imsss:primaryObjective objectiveID=\"obj_%04d\" satisfiedByMeasure=\"true\">\n              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>\n              <imsss:mapInfo targetObjectiveID=\"global.module_%04d\" readSatisfiedStatus=\"false\" readNormalizedMeasure=\"false\" writeSatisfiedStatus=\"true\" writeNormalizedMeasure=\"true\"/>\n            </imsss:primaryObjective>\n", i, i >> m
		printf "            <imsss:objective objectiveID=\"obj_%04d_prereq\">\n              <imsss:mapInfo targetObjectiveID=\"global.module_%04d\" readSatisfiedStatus=\"true\"/>\n            </imsss:objective>\n          </imsss:objectives>\n", i, (i > 1 ? i - 1 : n) >> m
		printf "          <imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>\n        </imsss:sequencing>\n      </item>\n" >> m
	}
	printf "      <imsss:sequencing>\n        <imsss:controlMode choice=\"true\" flow=\"true\"/>\n      </imsss:sequencing>\n    </organization>\n  </organizations>\n  <resources>\n" >> m
	for (i = 1; i <= n; i++) {
		printf "    <resource identifier=\"res_%04d\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"modules/kmf_module_%04d_content/index.html?lang=en-GB\">\n", i, i >> m
		split("index.html script.js styles.css media/illustration.svg", f, " ")
		for (k = 1; k <= 4; k++) {
			printf "      <file href=\"modules/kmf_module_%04d_content/%s\"/>\n", i, f[k] >> m
			printf "module %d %s\n", i, f[k] > (out "/files.txt")
		}
		printf "      <dependency identifierref=\"shared_assets\"/>\n    </resource>\n" >> m
	}
	printf "    <resource identifier=\"shared_assets\" type=\"webcontent\" adlcp:scormType=\"asset\">\n" >> m
	for (i = 1; i <= n; i++) {
		printf "      <file href=\"shared/assets/icon_%04d.svg\"/>\n", i >> m
		printf "shared %d\n", i > (out "/files.txt")
	}
	printf "    </resource>\n  </resources>\n</manifest>\n" >> m
}'
(
	cd "$pkg"
	# one mkdir for every folder, then awk writes the files (no process per file)
	awk '$1 == "module" { printf "modules/kmf_module_%04d_content/media\n", $2 } END { print "shared/assets" }' files.txt |
		xargs mkdir -p
	awk '{
		p = ($1 == "module") ? sprintf("modules/kmf_module_%04d_content/%s", $2, $3) : sprintf("shared/assets/icon_%04d.svg", $2)
		printf "<!-- %s: benchmark content, a few hundred bytes so the zip has real data -->\n%0300d\n", p, 0 > p
		close(p)
	}' files.txt
	rm files.txt
	for x in imscp_v1p1 adlcp_v1p3 adlseq_v1p3 adlnav_v1p3 imsss_v1p0; do
		printf '<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n' >"$x.xsd"
	done
	zip -qrX ../pkg.zip .
)
manifest_bytes=$(wc -c <"$pkg/imsmanifest.xml")
files=$(unzip -Z1 "$work/pkg.zip" | grep -vc '/$')

# --- correctness first: postcard must find the package valid, xmllint the manifest ---
"$bin" validate "$work/pkg.zip" >"$work/check.out" || { cat "$work/check.out"; echo "postcard rejected the package" >&2; exit 1; }
tail -n 1 "$work/check.out" >&2
xmllint --noout --nonet --schema "$wrapper" "$pkg/imsmanifest.xml" 2>&1 | grep -v 'Skipping import' >&2 || true

# --- timing: alternate the two so machine noise hits both. Wall, user and system time come
# from bash's `time` in milliseconds (GNU time's own are in centiseconds, too coarse at ~0.1 s;
# the ~1 ms GNU time adds counts on both sides), peak RSS from GNU time. One line per run:
# "wall rss_kb user sys". ---
# BENCH_CHRT=PRIORITY runs both commands (only them) under `chrt -f PRIORITY` (real-time
# scheduling, needs root or CAP_SYS_NICE): on a shared, loaded machine that is how to see what
# a quiet one would show, for both sides alike. The JSON line says whether it was used.
rt=()
[ -n "${BENCH_CHRT:-}" ] && rt=(chrt -f "$BENCH_CHRT")
: >"$work/pc.txt"
: >"$work/xl.txt"
TIMEFORMAT='%3R %3U %3S'
measure() { # measure OUTFILE COMMAND...
	local out=$1
	shift
	{ time "${rt[@]}" /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1; } 2>"$work/t"
	read -r wall user sys <"$work/t"
	echo "$wall $(cat "$work/rss") $user $sys" >>"$out"
}
for _ in $(seq "$runs"); do
	measure "$work/pc.txt" "$bin" validate "$work/pkg.zip"
	measure "$work/xl.txt" xmllint --noout --nonet --schema "$wrapper" "$pkg/imsmanifest.xml"
done
# instructions COMMAND...: what callgrind counts for one run (all threads)
instructions() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		sed -n 's/^==[0-9]*== Collected : *\([0-9]*\)$/\1/p'
}
pc_ins=null xl_ins=null ins_ratio=null
if [ -n "${BENCH_CALLGRIND:-}" ]; then
	command -v valgrind >/dev/null || { echo "BENCH_CALLGRIND needs valgrind" >&2; exit 2; }
	pc_ins=$(instructions "$bin" validate "$work/pkg.zip")
	xl_ins=$(instructions xmllint --noout --nonet --schema "$wrapper" "$pkg/imsmanifest.xml")
	ins_ratio=$(awk -v a="$pc_ins" -v b="$xl_ins" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
fi
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
pc=$(cut -d' ' -f1 "$work/pc.txt" | median)
xl=$(cut -d' ' -f1 "$work/xl.txt" | median)
pc_rss=$(cut -d' ' -f2 "$work/pc.txt" | sort -n | tail -n 1)
xl_rss=$(cut -d' ' -f2 "$work/xl.txt" | sort -n | tail -n 1)
ratio=$(awk -v a="$pc" -v b="$xl" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
# CPU time (user + sys) as well: on a shared machine wall time mostly measures the queue
pc_cpu=$(awk '{ print $3 + $4 }' "$work/pc.txt" | median)
xl_cpu=$(awk '{ print $3 + $4 }' "$work/xl.txt" | median)
cpu_ratio=$(awk -v a="$pc_cpu" -v b="$xl_cpu" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
printf '{"bench":"validate","package":{"files":%d,"resources":1001,"items":1000,"manifest_bytes":%d},"runs":%d,"postcard_median_s":%s,"xmllint_schema_median_s":%s,"ratio":%s,"postcard_cpu_median_s":%s,"xmllint_cpu_median_s":%s,"cpu_ratio":%s,"postcard_peak_rss_kb":%s,"xmllint_peak_rss_kb":%s,"instructions":{"postcard":%s,"xmllint":%s,"ratio":%s},"load_average":"%s","realtime":%s}\n' \
	"$files" "$manifest_bytes" "$runs" "$pc" "$xl" "$ratio" "$pc_cpu" "$xl_cpu" "$cpu_ratio" "$pc_rss" "$xl_rss" \
	"$pc_ins" "$xl_ins" "$ins_ratio" "$(cut -d' ' -f1-3 /proc/loadavg)" "$([ -n "${BENCH_CHRT:-}" ] && echo true || echo false)"
