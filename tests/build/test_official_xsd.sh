#!/bin/sh
# Validates the manifests of built packages (fixture course, its modules, the scaffold) against
# the official SCORM XSDs in ../shared/scorm-schemas, for all three editions. Those files are a
# test oracle outside the project: when they are absent the test says so and is skipped (77),
# and fails under CI (tests/oracle.sh).
#   usage: test_official_xsd.sh POSTCARD FIXTURES SCHEMAS_DIR [WEB_DIR]
set -eu
bin=$1 fixtures=$2 schemas=$3 web=${4:-}
. "$(dirname "$0")/../oracle.sh"
[ -f "$schemas/wrappers/scorm12.xsd" ] || oracle_missing "official SCORM schemas not found at $schemas"
command -v xmllint >/dev/null || oracle_missing "xmllint not installed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
webopt=""
[ -n "$web" ] && webopt="--web-dir $web"
"$bin" new "$tmp/src/scaffold" >/dev/null
n=0
for ed in 1.2 2004-3rd 2004-4th; do
	# shellcheck disable=SC2086
	"$bin" build "$fixtures/course" "$tmp/src/scaffold" -q -o "$tmp/$ed" --scorm "$ed" $webopt
	wrapper=scorm12
	[ "$ed" != 1.2 ] && wrapper="scorm$ed"
	for z in "$tmp/$ed"/*.zip; do
		unzip -p "$z" imsmanifest.xml >"$tmp/m.xml"
		if ! xmllint --noout --nonet --schema "$schemas/wrappers/$wrapper.xsd" "$tmp/m.xml" 2>"$tmp/err"; then
			cat "$tmp/err"
			echo "FAIL: $z is not valid against the official $ed schemas"
			exit 1
		fi
		n=$((n + 1))
	done
done
echo "$n manifests valid against the official schemas"
