#!/usr/bin/env bash
# Idle resident memory of `postcard serve` with the demo loaded: every module and the course
# built and imported, the package list and one player page visited, then left idle for a few
# seconds. Target: under 16 MB. Ends with one JSON line. Baseline: the same server with no
# packages, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${POSTCARD_BIN:-build/cli/postcard}
[ -x "$BIN" ] || make build >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/postcard-bench-rss.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/pkgs"
for src in modules/*/ modules/*.xml; do
	[ -e "$src" ] && "$BIN" build "$src" -o "$WORK/pkgs" >/dev/null 2>&1 || true
done
N=$(ls "$WORK"/pkgs/*.zip 2>/dev/null | wc -l)
[ "$N" -gt 0 ] || { echo "no module built" >&2; exit 1; }
"$BIN" import "$WORK"/pkgs/*.zip --data "$WORK/demo" >/dev/null

rss() { # DATA_DIR -> kB after warm-up and idling
	"$BIN" serve --data "$1" --listen 127.0.0.1:0 --quiet >"$WORK/out" 2>&1 &
	PID=$!
	for _ in $(seq 50); do grep -q 'http://' "$WORK/out" && break; sleep 0.1; done
	local url; url="http://127.0.0.1:$(sed -n 's|.*http://postcard.localhost:\([0-9]*\)/.*|\1|p' "$WORK/out")"
	curl -s "$url/" >/dev/null
	local first; first=$(curl -s "$url/" | grep -o 'href="/play/[^"]*"' | head -1 | cut -d'"' -f2)
	[ -n "$first" ] && curl -s "$url$first" >/dev/null
	sleep 3
	awk '/VmRSS/ {print $2}' "/proc/$PID/status"
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
DEMO_KB=$(rss "$WORK/demo")
EMPTY_KB=$(rss "$WORK/empty")
echo "{\"bench\":\"idle-rss\",\"packages\":$N,\"rss_kb\":$DEMO_KB,\"rss_mb\":$(awk -v k="$DEMO_KB" 'BEGIN {printf "%.1f", k / 1024}'),\"baseline\":\"no-packages\",\"baseline_rss_kb\":$EMPTY_KB,\"target_mb\":16}"
