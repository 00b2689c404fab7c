#!/usr/bin/env bash
# Idle resident memory of `postcard serve` with the demo loaded: every module and the course
# built and imported, the package list and one player page visited, then left idle for a few
# seconds. Target (issue 16): under 8 MB. Ends with one JSON line. Baseline: the same server
# with no packages, measured in the same run. Where the memory goes, for the demo run: anonymous
# (heap, stacks, libraries' written data) and file-backed (code and read-only data of the binary
# and the shared libraries it maps), the heap alone, the thread count, how many shared objects
# are mapped, and the eight mappings holding the most.
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
	if [ "${2:-}" = detail ]; then
		awk '/^(RssAnon|RssFile|Threads):/ {k = tolower($1); sub(":", "", k); printf "\"%s\":%s,", k, $2}' "/proc/$PID/status" |
			sed 's/rssanon/rss_anon_kb/; s/rssfile/rss_file_kb/' >"$WORK/detail"
		awk '/^[0-9a-f]+-[0-9a-f]+ / {n = $6; if (n == "") n = "[anon]"; sub(".*/", "", n)}
		     /^Rss:/ {r[n] += $2}
		     END {for (k in r) if (r[k] > 0) print r[k], k}' "/proc/$PID/smaps" | sort -rn >"$WORK/maps"
		{
			printf '"heap_kb":%s,' "$(awk '$2 == "[heap]" {print $1}' "$WORK/maps")"
			printf '"shared_objects":%s,' "$(grep -c '\.so' "$WORK/maps")"
			printf '"top_kb":{%s}' "$(head -8 "$WORK/maps" | awk '{printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $2, $1}')"
		} >>"$WORK/detail"
	fi
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
DEMO_KB=$(rss "$WORK/demo" detail)
EMPTY_KB=$(rss "$WORK/empty")
MB=$(awk -v k="$DEMO_KB" 'BEGIN {printf "%.1f", k / 1024}')
UNDER=$(awk -v k="$DEMO_KB" 'BEGIN {print k < 8 * 1024 ? "true" : "false"}')
echo "{\"bench\":\"idle-rss\",\"packages\":$N,\"rss_kb\":$DEMO_KB,\"rss_mb\":$MB,\"baseline\":\"no-packages\",\"baseline_rss_kb\":$EMPTY_KB,\"target_mb\":8,\"under_target\":$UNDER,$(cat "$WORK/detail")}"
