#!/usr/bin/env bash
# Durable commit throughput: 50 simulated learners commit realistic SCORM 2004 changes to
# `postcard serve` (each waits for its acknowledgement, as the adapter does), against a baseline
# C loop writing the same rows straight into SQLite with the same durability settings (WAL,
# synchronous=FULL, one transaction per commit), measured in the same run on the same disk.
# Three rounds each; medians. Also reported: CPU time per commit of the server and of the load
# generator (2 cores are shared by both, so CPU per commit is what bounds throughput), and the
# load average before and after (the machine may be shared: compare runs with that in mind).
# Then the same on PostgreSQL (a throwaway cluster, tests/store/pg-cluster.sh): one node against
# a raw libpq loop at the same durability (one transaction per commit, synchronous_commit=on),
# and three nodes behind nginx (bench/commit-pg.sh).
# Ends with one JSON line per run: SQLite, PostgreSQL one node, PostgreSQL three nodes.
#   bench/commit.sh [SECONDS_PER_ROUND]   (default 8; BENCH_PG=0 skips PostgreSQL;
#   BENCH_PG_RTT_MS=N puts N ms of round trip between the nodes and PostgreSQL, see commit-pg.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND=${1:-8}
LEARNERS=50
ROUNDS=3
BIN=${POSTCARD_BIN:-build/cli/postcard}
[ -x "$BIN" ] || make build >/dev/null
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/postcard-bench-commit.XXXXXX")
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
PG_FLAGS=
if [ "${BENCH_PG:-1}" != 0 ] && pkg-config --exists libpq; then
	PG_FLAGS="-DWITH_PG $(pkg-config --cflags libpq)"
fi
# shellcheck disable=SC2086
cc -O2 $PG_FLAGS -o "$WORK/commitload" bench/commitload.c -lsqlite3 -lpthread \
	$([ -n "$PG_FLAGS" ] && pkg-config --libs libpq)
node -e "require('./tests/server/lib/zip').packFixture('tests/server/fixtures/sco2004', '$WORK/sco2004.zip')"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)

: > "$WORK/server.txt"; : > "$WORK/base.txt"
for round in $(seq $ROUNDS); do
	rm -rf "$WORK/data"
	"$BIN" import "$WORK/sco2004.zip" --data "$WORK/data" >/dev/null
	"$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 --quiet --simulate-learners >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVER_PID=$!
	for _ in $(seq 50); do grep -q 'http://' "$WORK/serve.out" && break; sleep 0.1; done
	PORT=$(sed -n 's|.*http://postcard.localhost:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
	T0=$(cpu_ticks "$SERVER_PID")
	"$WORK/commitload" http "$PORT" test-sco2004 $LEARNERS "$SECONDS_PER_ROUND" > "$WORK/round.txt"
	T1=$(cpu_ticks "$SERVER_PID")
	N=$(field commits < "$WORK/round.txt" | cut -d. -f1)
	awk -v t="$((T1 - T0))" -v hz="$(getconf CLK_TCK)" -v n="${N:-0}" \
		'{ sub(/}$/, sprintf(",\"server_cpu_us_per_commit\":%.0f}", n ? t / hz / n * 1e6 : 0)); print }' \
		"$WORK/round.txt" | tee -a "$WORK/server.txt" >&2
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
	# The baseline writes as many commits as the server managed (at least 2000) on the same disk.
	[ "${N:-0}" -lt 2000 ] && N=2000
	rm -f "$WORK/base.db"*
	"$WORK/commitload" sqlite "$WORK/base.db" "$N" | tee -a "$WORK/base.txt" >&2
done
S_RATE=$(field commits_per_s < "$WORK/server.txt" | median)
S_P50=$(field p50_ms < "$WORK/server.txt" | median)
S_P99=$(field p99_ms < "$WORK/server.txt" | median)
B_RATE=$(field commits_per_s < "$WORK/base.txt" | median)
B_P99=$(field p99_ms < "$WORK/base.txt" | median)
S_CPU=$(field server_cpu_us_per_commit < "$WORK/server.txt" | median)
C_CPU=$(field client_cpu_us_per_commit < "$WORK/server.txt" | median)
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
RATIO=$(awk -v s="$S_RATE" -v b="$B_RATE" 'BEGIN {printf "%.2f", s / b}')
echo "{\"bench\":\"commit\",\"learners\":$LEARNERS,\"rounds\":$ROUNDS,\"durable_commits_per_s\":$S_RATE,\"p50_ms\":$S_P50,\"p99_ms\":$S_P99,\"baseline\":\"sqlite-loop-wal-full\",\"baseline_commits_per_s\":$B_RATE,\"baseline_p99_ms\":$B_P99,\"ratio\":$RATIO,\"server_cpu_us_per_commit\":$S_CPU,\"client_cpu_us_per_commit\":$C_CPU,\"loadavg_before\":$LOAD_BEFORE,\"loadavg_after\":$LOAD_AFTER,\"targets\":{\"commits_per_s\":5000,\"p99_ms\":10,\"ratio\":0.8}}"

[ -n "$PG_FLAGS" ] || exit 0
: > "$WORK/pg1.txt"; : > "$WORK/pgbase.txt"; : > "$WORK/pg3.txt"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
POSTCARD_BIN=$BIN tests/store/pg-cluster.sh bench/commit-pg.sh "$WORK" "$SECONDS_PER_ROUND" "$ROUNDS" "$LEARNERS"
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
P_RATE=$(field commits_per_s < "$WORK/pg1.txt" | median)
P_P50=$(field p50_ms < "$WORK/pg1.txt" | median)
P_P99=$(field p99_ms < "$WORK/pg1.txt" | median)
P_CPU=$(field server_cpu_us_per_commit < "$WORK/pg1.txt" | median)
PB_RATE=$(field commits_per_s < "$WORK/pgbase.txt" | median)
PB_P99=$(field p99_ms < "$WORK/pgbase.txt" | median)
P3_RATE=$(field commits_per_s < "$WORK/pg3.txt" | median)
P3_P50=$(field p50_ms < "$WORK/pg3.txt" | median)
P3_P99=$(field p99_ms < "$WORK/pg3.txt" | median)
P3_CPU=$(field server_cpu_us_per_commit < "$WORK/pg3.txt" | median)
P_RATIO=$(awk -v s="$P_RATE" -v b="$PB_RATE" 'BEGIN {printf "%.2f", s / b}')
P3_RATIO=$(awk -v s="$P3_RATE" -v b="$P_RATE" 'BEGIN {printf "%.2f", s / b}')
RTT=${BENCH_PG_RTT_MS:-0}
echo "{\"bench\":\"commit-pg\",\"pg_rtt_ms\":$RTT,\"nodes\":1,\"learners\":$LEARNERS,\"rounds\":$ROUNDS,\"durable_commits_per_s\":$P_RATE,\"p50_ms\":$P_P50,\"p99_ms\":$P_P99,\"baseline\":\"libpq-loop-synchronous-commit\",\"baseline_commits_per_s\":$PB_RATE,\"baseline_p99_ms\":$PB_P99,\"ratio\":$P_RATIO,\"server_cpu_us_per_commit\":$P_CPU,\"loadavg_before\":$LOAD_BEFORE,\"loadavg_after\":$LOAD_AFTER,\"targets\":{\"ratio\":0.5}}"
echo "{\"bench\":\"commit-pg\",\"pg_rtt_ms\":$RTT,\"nodes\":3,\"balancer\":\"nginx-round-robin\",\"learners\":$LEARNERS,\"rounds\":$ROUNDS,\"durable_commits_per_s\":$P3_RATE,\"p50_ms\":$P3_P50,\"p99_ms\":$P3_P99,\"baseline\":\"one-node\",\"baseline_commits_per_s\":$P_RATE,\"ratio\":$P3_RATIO,\"server_cpu_us_per_commit\":$P3_CPU,\"loadavg_before\":$LOAD_BEFORE,\"loadavg_after\":$LOAD_AFTER,\"targets\":{\"ratio\":1.0}}"
