#!/bin/sh
# Replays ADL's sequencing cases in ../shared/adl-cts and requires every one to pass. Without
# ../shared the test is skipped with a message (CTest exit code 77), unless CI=1 says it must run.
replay=$1
dir=$2
if [ ! -d "$dir/cases" ] || [ ! -d "$dir/packages" ]; then
	echo "SKIPPED: ADL conformance cases not found at $dir (../shared/adl-cts is not in this checkout)"
	if [ -n "$CI" ] && [ "$CI" != 0 ] && [ "$CI" != false ]; then
		exit 1
	fi
	exit 77
fi
exec "$replay" --strict --packages "$dir/packages" --cases "$dir/cases"
