#!/usr/bin/env bash
# "Real packages are accepted": every folder in fixtures/ mimics the shape of a package exported
# by a mainstream tool. Each must validate with no errors, as a folder and zipped (the zip is
# built here), and its summary must name the edition its FIXTURE file expects; the zip (which
# leaves FIXTURE out) must have exactly the number of warnings FIXTURE states.
# When the official XSDs are beside the checkout (../shared/scorm-schemas), each fixture
# manifest must also be valid against them: a fixture the official schemas reject would prove
# nothing about false errors. Without them the other checks still run, and the test then ends
# as skipped (77), or failed under CI (tests/oracle.sh).
set -u
. "$(dirname "$0")/../oracle.sh"
bin=$(realpath "$1")
official=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
for d in "$here"/fixtures/*/; do
	d=${d%/}
	name=$(basename "$d")
	want=$(sed -n 's/^edition: //p' "$d/FIXTURE")
	warnings=$(sed -n 's/^warnings: //p' "$d/FIXTURE")
	(cd "$d" && zip -qrX "$work/$name.zip" . -x FIXTURE)
	if [ -n "$official" ] && [ -d "$official/wrappers" ]; then
		case "$want" in
		"SCORM 1.2") wrapper=scorm12 ;;
		"SCORM 2004 3rd Edition" | "SCORM 2004 2nd Edition") wrapper=scorm2004-3rd ;;
		*) wrapper=scorm2004-4th ;;
		esac
		if ! xmllint --noout --nonet --schema "$official/wrappers/$wrapper.xsd" "$d/imsmanifest.xml" \
			>"$work/xmllint.out" 2>&1; then
			echo "FAIL $name: the official $wrapper schemas reject the fixture"
			cat "$work/xmllint.out"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	fi
	for target in "$work/$name.zip" "$d"; do
		out=$("$bin" validate "$target" 2>&1)
		st=$?
		summary=$(printf '%s\n' "$out" | tail -n 1)
		expect=": $want: 0 errors"
		case "$target" in *.zip)
			expect="$expect, $warnings warning"
		esac
		if [ "$st" != 0 ] || ! printf '%s' "$summary" | grep -q "$expect"; then
			echo "FAIL $name ($target): exit $st, expected 0 and '$expect'"
			printf '%s\n' "$out"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ] || exit 1
[ -n "$official" ] && [ -d "$official/wrappers" ] ||
	oracle_missing "official XSDs not found ($official): the oracle check of the fixtures was skipped"
