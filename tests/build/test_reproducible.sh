#!/bin/sh
# Reproducible builds: the same sources give byte-identical zips whatever the time zone, locale,
# working folder, path spelling, file creation order and modification times; SOURCE_DATE_EPOCH
# sets the entry times; identifiers stay across MINOR versions and change across MAJOR ones.
#   usage: test_reproducible.sh POSTCARD FIXTURES [WEB_DIR]
set -eu
bin=$1 fixtures=$2 web=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
webopt=""
[ -n "$web" ] && webopt="--web-dir $web"
fail() { echo "FAIL: $*"; exit 1; }

# copy A: as cp makes it. copy B: every file created in reverse name order, old mtimes.
cp -R "$fixtures/course" "$tmp/a"
mkdir -p "$tmp/elsewhere/b"
(cd "$fixtures/course" && find . -type d | sort) | while read -r d; do mkdir -p "$tmp/elsewhere/b/$d"; done
(cd "$fixtures/course" && find . -type f | sort -r) | while read -r f; do
	cp "$fixtures/course/$f" "$tmp/elsewhere/b/$f"
	touch -d '2001-02-03 04:05:06' "$tmp/elsewhere/b/$f"
	sleep 0.01
done

# shellcheck disable=SC2086
(cd "$tmp/a" && TZ=UTC LC_ALL=C "$bin" build . -q -o "$tmp/out1" $webopt)
# shellcheck disable=SC2086
(cd "$tmp/elsewhere" && TZ=Pacific/Kiritimati LC_ALL=C.UTF-8 LANG=en_GB.UTF-8 \
	"$bin" build ./b/ -q -o "$tmp/out2" $webopt)
n=0
for z in "$tmp/out1"/*.zip; do
	cmp "$z" "$tmp/out2/$(basename "$z")" || fail "$(basename "$z") differs between the two builds"
	n=$((n + 1))
done
[ "$n" = 3 ] || fail "expected 3 packages, got $n"

# a package does not depend on what else is in the build (shared assets are compressed once)
# shellcheck disable=SC2086
(cd "$tmp/a" && "$bin" build retrospect -q -o "$tmp/alone" $webopt)
cmp "$tmp/out1/retrospect-2.0.1-scorm12.zip" "$tmp/alone/retrospect-2.0.1-scorm12.zip" ||
	fail "a module built alone differs from the same module built with others"

# no clock: building again later gives the same bytes; entries carry 2020-01-01 00:00 by default
sleep 1
# shellcheck disable=SC2086
(cd "$tmp/a" && "$bin" build . -q -o "$tmp/out3" $webopt)
cmp "$tmp/out1/peer-assist-1.3.0-scorm12.zip" "$tmp/out3/peer-assist-1.3.0-scorm12.zip" ||
	fail "a later build differs"
unzip -Z -T "$tmp/out1/peer-assist-1.3.0-scorm12.zip" | grep -q ' 20200101.000000 ' ||
	fail "default entry time is not 2020-01-01T00:00:00"

# SOURCE_DATE_EPOCH=1700000000 is 2023-11-14T22:13:20Z (zip stores 2-second steps, in UTC)
# shellcheck disable=SC2086
(cd "$tmp/a" && TZ=America/New_York SOURCE_DATE_EPOCH=1700000000 "$bin" build . -q -o "$tmp/out4" $webopt)
cmp -s "$tmp/out1/peer-assist-1.3.0-scorm12.zip" "$tmp/out4/peer-assist-1.3.0-scorm12.zip" &&
	fail "SOURCE_DATE_EPOCH did not change the zip"
unzip -Z -T "$tmp/out4/peer-assist-1.3.0-scorm12.zip" | grep -q ' 20231114.221320 ' ||
	fail "SOURCE_DATE_EPOCH entry time is wrong: $(unzip -Z -T "$tmp/out4/peer-assist-1.3.0-scorm12.zip" | sed -n 3p)"
(cd "$tmp/a" && SOURCE_DATE_EPOCH=yesterday "$bin" build . -q -o "$tmp/out5" 2>/dev/null) &&
	fail "a bad SOURCE_DATE_EPOCH was accepted"

# identifiers: from id + MAJOR version only
ids() { unzip -p "$1" imsmanifest.xml | grep -o 'identifier="[^"]*"\|identifierref="[^"]*"\|default="[^"]*"'; }
ids "$tmp/out1/peer-assist-1.3.0-scorm12.zip" >"$tmp/ids-1.3"
sed -i 's/version="1.3.0"/version="1.9.4"/' "$tmp/a/peer-assist/module.xml"
# shellcheck disable=SC2086
(cd "$tmp/a" && "$bin" build peer-assist -q -o "$tmp/out6" $webopt)
ids "$tmp/out6/peer-assist-1.9.4-scorm12.zip" >"$tmp/ids-1.9"
cmp "$tmp/ids-1.3" "$tmp/ids-1.9" || fail "identifiers changed with a MINOR version"
sed -i 's/version="1.9.4"/version="2.0.0"/' "$tmp/a/peer-assist/module.xml"
# shellcheck disable=SC2086
(cd "$tmp/a" && "$bin" build peer-assist -q -o "$tmp/out7" $webopt)
ids "$tmp/out7/peer-assist-2.0.0-scorm12.zip" >"$tmp/ids-2.0"
cmp -s "$tmp/ids-1.3" "$tmp/ids-2.0" && fail "identifiers did not change with a MAJOR version"
grep -q 'identifier="pc-peer-assist-v2"' "$tmp/ids-2.0" || fail "manifest identifier for v2"
echo "reproducible ok ($n packages)"
