#!/usr/bin/env bash
# Sequencing on the server: what one navigation costs the commit queue's single writer thread
# (baseline: a Continue, the state saved, a copy handed over) against what was moved off it to
# the request thread (the player's view and the adapter's request_valid answers, a tentative
# run per activity), for courses of 20, 100 and 512 activities (bench/seqview.c). Medians of 5;
# a line per size, then one JSON line. The machine may be shared: compare ratios, not milliseconds.
#   bench/seq-view.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/runtime/libpostcard_sn.a ] || make build >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/postcard-bench-seq.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# shellcheck disable=SC2046
cc -O2 -I runtime/sn -I author/util -I author -o "$WORK/seqview" bench/seqview.c \
	build/runtime/libpostcard_sn.a build/runtime/libpostcard_cmi.a \
	build/author/libpostcard_author.a build/author/libpostcard_base.a \
	$(pkg-config --libs libxml-2.0 jansson) -lm
[ $# -gt 0 ] || set -- 20 100 512
"$WORK/seqview" "$@"
