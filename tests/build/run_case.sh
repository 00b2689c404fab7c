#!/bin/sh
# Runs one golden case of `postcard build`: cases/NAME holds the sources, `args` (the build
# arguments), `expected.stderr` and, when the exit status is not 1, `expected.status`.
# The build runs inside the case folder (so paths in messages are relative and stable) with -q,
# the test-local page template, and an empty output folder. A failing build must write nothing.
# --update rewrites expected.stderr and prints the change for a person to review; it refuses to
# run under CI (golden files are written by people, never by the test run that checks them).
#   usage: run_case.sh POSTCARD WEB_DIR CASE_DIR [--update]
set -u
bin=$1 web=$2 case=$3
. "$(dirname "$0")/../oracle.sh"
if [ "${4:-}" = --update ] && oracle_ci; then
	echo "run_case.sh: --update refused under CI: golden files are updated by a person, then reviewed"
	exit 2
fi
out=$(mktemp -d) || exit 2
trap 'rm -rf "$out"' EXIT
cd "$case" || exit 2
want_status=1
[ -f expected.status ] && want_status=$(cat expected.status)
# shellcheck disable=SC2046 # args is a word list on purpose
"$bin" build $(cat args) -q -o "$out/pkgs" --web-dir "$web" 2>"$out/stderr"
status=$?
if [ "${4:-}" = --update ]; then
	diff -u expected.stderr "$out/stderr" && echo "$case: expected.stderr unchanged"
	cp "$out/stderr" expected.stderr
	exit 0
fi
fail=0
if [ "$status" != "$want_status" ]; then
	echo "exit status $status, expected $want_status"
	fail=1
fi
if ! diff -u expected.stderr "$out/stderr"; then
	fail=1
fi
if [ "$status" != 0 ] && [ -n "$(ls -A "$out/pkgs" 2>/dev/null)" ]; then
	echo "a failed build wrote files:"; ls -A "$out/pkgs"
	fail=1
fi
if [ "$status" = 0 ] && [ -z "$(ls -A "$out/pkgs" 2>/dev/null)" ]; then
	echo "a successful build wrote no package"
	fail=1
fi
exit $fail
