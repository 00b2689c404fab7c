#!/usr/bin/env bash
# "Real packages are accepted": every folder in fixtures/ mimics the shape of a package exported
# by a mainstream tool. Each must validate with no errors, as a folder and zipped (the zip is
# built here), and its summary must name the edition the fixture's README line expects.
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
for d in "$here"/fixtures/*/; do
	d=${d%/}
	name=$(basename "$d")
	want=$(sed -n 's/^edition: //p' "$d/FIXTURE")
	(cd "$d" && zip -qrX "$work/$name.zip" . -x FIXTURE)
	for target in "$work/$name.zip" "$d"; do
		out=$("$bin" validate "$target" 2>&1)
		st=$?
		summary=$(printf '%s\n' "$out" | tail -n 1)
		if [ "$st" != 0 ] || ! printf '%s' "$summary" | grep -q ": $want: 0 errors"; then
			echo "FAIL $name ($target): exit $st, expected 0 and '$want: 0 errors'"
			printf '%s\n' "$out"
			failed=$((failed + 1))
		else
			passed=$((passed + 1))
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
