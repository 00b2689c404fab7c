#!/usr/bin/env bash
# Start-up cost (issue 11's speed target): `postcard validate` and `postcard build` must not load
# the libraries linked lazily (cmake/LazyLibrary.cmake: libpq, libmicrohttpd, libzip and what
# they bring, GnuTLS and OpenSSL among them; libcmark, which only build uses), and the binary
# must not list them as needed. The
# dynamic loader itself says what it loaded (LD_DEBUG=libs). `serve` does load libmicrohttpd
# (the stubs work: every server test goes through them).
#   usage: cli_startup.sh POSTCARD SONAME...   (no SONAME: nothing is linked lazily, skipped)
set -u
bin=$(realpath "$1")
shift
[ $# -gt 0 ] || { echo "no library is linked lazily in this build (POSTCARD_LAZY_LIBS=OFF)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
(cd "$here/fixtures/storyline12" && zip -qrX "$work/pkg.zip" . -x FIXTURE)
loaded() { # loaded LOGFILE SONAME: did the loader map it?
	grep -q "calling init: .*/$2" "$1"
}
needed=$(LD_TRACE_LOADED_OBJECTS=1 "$bin" 2>/dev/null) # what ldd shows: DT_NEEDED, recursively
for so in "$@"; do
	if printf '%s\n' "$needed" | grep -q "^[[:space:]]*$so "; then
		echo "FAIL: the binary needs $so at start-up (it is meant to be loaded on first use)"
		failed=1
	fi
done
run() { # run NAME ARGS...: the loader's log of one command in $work/NAME.log
	local name=$1
	shift
	(cd "$work" && LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/$name" "$bin" "$@" >"$work/$name.out" 2>&1)
	cat "$work/$name".* >"$work/$name.log" 2>/dev/null
}
run validate validate pkg.zip
grep -q "0 errors" "$work/validate.out" || { echo "FAIL: validate did not run:"; cat "$work/validate.out"; failed=1; }
cp -r "$here/../../modules/peer-assist" "$work/module" 2>/dev/null && run build build module -o out
for cmd in validate build; do
	[ -f "$work/$cmd.log" ] || continue
	grep -q "calling init" "$work/$cmd.log" || { echo "FAIL: no loader log for $cmd (LD_DEBUG)"; failed=1; }
	for so in "$@" libgnutls.so libcrypto.so; do
		# build renders the cards' Markdown: libcmark is the one lazy library it uses
		[ "$cmd" = build ] && [ "${so#libcmark.so}" != "$so" ] && continue
		if loaded "$work/$cmd.log" "$so"; then
			echo "FAIL: 'postcard $cmd' loaded $so"
			failed=1
		fi
	done
done
[ "$failed" = 0 ] && echo "validate and build start without: $*"
[ "$failed" = 0 ]
