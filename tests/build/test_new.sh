#!/bin/sh
# `postcard new` prints commands that work as printed: for folder names with a space and a
# quote, the printed `postcard build ...` line is run through the shell as it is (with the
# binary's path for "postcard") and must build the module.
#   usage: test_new.sh POSTCARD
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for name in "Two words" "Ann's module" plain; do
	out=$(cd "$tmp" && "$bin" new "$name") || { echo "FAIL: postcard new '$name'"; fail=1; continue; }
	cmd=$(printf '%s\n' "$out" | sed -n 's/^  postcard build \(.*[^ ]\) *  to make.*/\1/p')
	if [ -z "$cmd" ]; then
		echo "FAIL: no build command printed for '$name':"; printf '%s\n' "$out"; fail=1; continue
	fi
	mkdir -p "$tmp/out"
	if ! (cd "$tmp" && eval "\"\$bin\" build $cmd -q -o out") >"$tmp/log" 2>&1; then
		echo "FAIL: the printed command 'postcard build $cmd' did not build '$name':"; cat "$tmp/log"; fail=1
	fi
done
n=$(ls "$tmp/out"/*.zip 2>/dev/null | wc -l)
[ "$n" = 3 ] || { echo "FAIL: $n packages built, expected 3"; fail=1; }
[ "$fail" = 0 ] && echo "the printed commands work for: Two words, Ann's module, plain"
exit $fail
