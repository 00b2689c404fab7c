#!/usr/bin/env bash
# Golden tests of `postcard validate` output (text and JSON) and exit codes. Each case in
# golden/cases.txt runs in a scratch copy of golden/inputs/ (every folder also zipped), and its
# stdout must equal golden/NAME.out. UPDATE_GOLDEN=1 rewrites the .out files instead and prints
# each change for a person to review; it refuses to run under CI (golden files are written by
# people, never by the test run that checks them).
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../oracle.sh"
if [ "${UPDATE_GOLDEN:-}" = 1 ] && oracle_ci; then
	echo "cli_golden.sh: UPDATE_GOLDEN=1 refused under CI: golden files are updated by a person, then reviewed"
	exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/golden/inputs/." "$work/"
for d in "$work"/*/; do
	d=${d%/}
	(cd "$d" && zip -qrX "../$(basename "$d").zip" .)
done
failed=0 passed=0
while IFS='|' read -r name args status; do
	name=$(echo "$name" | xargs)
	[ -z "$name" ] || [ "${name#\#}" != "$name" ] && continue
	status=$(echo "$status" | xargs)
	# shellcheck disable=SC2086
	out=$(cd "$work" && "$bin" validate $args 2>"$work/stderr")
	got=$?
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		diff -u "$here/golden/$name.out" <(printf '%s\n' "$out")
		printf '%s\n' "$out" >"$here/golden/$name.out"
	fi
	if [ "$got" != "$status" ]; then
		echo "FAIL $name: exit $got, expected $status"
		failed=$((failed + 1))
	elif ! diff -u "$here/golden/$name.out" <(printf '%s\n' "$out"); then
		echo "FAIL $name: output differs (above)"
		failed=$((failed + 1))
	elif [ -s "$work/stderr" ]; then
		echo "FAIL $name: unexpected stderr:"; cat "$work/stderr"
		failed=$((failed + 1))
	else
		case "$args" in *json*)
			if ! printf '%s' "$out" | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))'; then
				echo "FAIL $name: not valid JSON"
				failed=$((failed + 1)); continue
			fi;;
		esac
		passed=$((passed + 1))
	fi
done <"$here/golden/cases.txt"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
