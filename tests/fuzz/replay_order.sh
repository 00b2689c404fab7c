#!/bin/sh
# fuzz_request starts every input from the same state (its store's rows put back, app_forget):
# each corpus input must get the same answers whether the inputs run forwards or backwards in
# one process. Otherwise a crash found during a campaign may not replay from its input alone.
# usage: replay_order.sh REPLAY_BINARY CORPUS_DIR
set -eu
replay=$1
corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'GET /replay-order-marker' > "$work/marker"

# Runs the files given, each followed by the marker, and writes the trace of the n-th input to
# $work/$1/n.
run() {
	out=$1
	shift
	mkdir "$work/$out"
	args=
	for f in "$@"; do
		args="$args $f $work/marker"
	done
	# shellcheck disable=SC2086 # corpus names have no spaces
	FUZZ_REQUEST_TRACE=1 "$replay" $args 2>"$work/$out.trace" >/dev/null
	awk -v dir="$work/$out" '
		/^GET \/replay-order-marker/ { n++; next }
		{ print > (dir "/" (n + 0)) }
		END { for (i = 0; i < n; i++) printf "" >> (dir "/" i) }' "$work/$out.trace"
}

files=$(find "$corpus" -type f | sort)
count=$(echo "$files" | wc -l)
# shellcheck disable=SC2086
run forwards $files
# shellcheck disable=SC2086
run backwards $(echo "$files" | sort -r)
i=0
failed=0
for f in $files; do
	j=$((count - 1 - i))
	if ! cmp -s "$work/forwards/$i" "$work/backwards/$j"; then
		echo "replay_order: $f is answered differently after other inputs:"
		diff "$work/forwards/$i" "$work/backwards/$j" | head -20
		failed=1
	fi
	i=$((i + 1))
done
[ "$failed" = 0 ] && echo "replay_order: $count inputs, the same answers in either order"
exit "$failed"
