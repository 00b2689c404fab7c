#!/usr/bin/env bash
# ADL's own conformance-test manifests (../shared/adl-cts/packages/*/imsmanifest.xml, shipped
# without their SCO files) are valid SCORM 2004 4th Edition: `postcard validate` must report no
# error on any of them but "file not in the package" (bare manifests skip the file checks, so
# none at all), as bare manifests and as zips holding only the manifest (one run each, every
# package in it). They are a test oracle outside the project: when absent the test says so and
# is skipped (77), and fails under CI (tests/oracle.sh).
#   usage: cli_adl.sh POSTCARD ADL_PACKAGES_DIR
set -u
bin=$(realpath "$1")
dir=$2
. "$(dirname "$0")/../oracle.sh"
ls "$dir"/*/imsmanifest.xml >/dev/null 2>&1 || oracle_missing "ADL's conformance manifests not found at $dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
manifests=() zips=()
for m in "$dir"/*/imsmanifest.xml; do
	name=$(basename "$(dirname "$m")")
	mkdir -p "$work/$name"
	cp "$m" "$work/$name/"
	(cd "$work/$name" && zip -qX "../$name.zip" imsmanifest.xml)
	manifests+=("$m")
	zips+=("$work/$name.zip")
done
failed=0
for kind in manifests zips; do
	if [ "$kind" = manifests ]; then set -- "${manifests[@]}"; else set -- "${zips[@]}"; fi
	"$bin" validate --format json "$@" >"$work/$kind.json"
	node -e '
		const doc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const allowed = new Set(["file-missing", "launch-missing"]);
		let bad = 0;
		for (const p of doc.packages) {
			const errs = p.findings.filter((f) => f.level === "error" && !allowed.has(f.check));
			if (p.version !== "SCORM 2004 4th Edition")
				console.log(`FAIL ${p.package}: named ${p.version}`), bad++;
			for (const f of errs)
				console.log(`FAIL ${f.file}:${f.line}:${f.column}: ${f.check}: ${f.message}`), bad++;
		}
		console.log(`${process.argv[2]}: ${doc.packages.length} ADL manifests, ${bad} unexpected`);
		process.exit(bad ? 1 : 0);' "$work/$kind.json" "$kind" || failed=1
done
[ "$failed" = 0 ]
