#!/usr/bin/env bash
# The PostgreSQL half of bench/commit.sh, run beside a throwaway cluster:
#   tests/store/pg-cluster.sh bench/commit-pg.sh WORK SECONDS ROUNDS LEARNERS
# (POSTCARD_TEST_PG names the cluster; WORK holds commitload and sco2004.zip). Per round, on a
# fresh database: one `serve` node under the 50 learners; the raw libpq loop writing as many
# commits one transaction each (synchronous_commit=on); then three nodes behind nginx (round
# robin) under the same learners. Appends one JSON line per run to WORK/pg1.txt, WORK/pgbase.txt
# and WORK/pg3.txt.
# BENCH_PG_RTT_MS=N puts N ms of round trip between every client of PostgreSQL (the nodes and
# the baseline loop) and the database (bench/delay-proxy.js, N/2 each way), as a database on
# another machine would: each node's commit path then waits on round trips, which is what
# several nodes share out. (tc netem would be the usual tool; this machine's kernel has none.)
set -euo pipefail
WORK=$1 SECONDS_PER_ROUND=$2 ROUNDS=$3 LEARNERS=$4
BIN=${POSTCARD_BIN:-build/cli/postcard}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
BASE=${POSTCARD_TEST_PG%/*}
PIDS=()
PROXY_PID=
# Waits for the killed ones only: the delay proxy runs on.
cleanup() {
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	[ ${#PIDS[@]} -eq 0 ] || wait "${PIDS[@]}" 2>/dev/null || true
}
trap 'cleanup; [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

if [ "${BENCH_PG_RTT_MS:-0}" != 0 ]; then
	PROXY_PORT=$(free_port)
	node bench/delay-proxy.js "$PROXY_PORT" "${BASE##*:}" "$(awk -v r="$BENCH_PG_RTT_MS" 'BEGIN {print r / 2}')" \
		>"$WORK/proxy.out" 2>&1 &
	PROXY_PID=$!
	for _ in $(seq 50); do grep -q ready "$WORK/proxy.out" && break; sleep 0.1; done
	BASE=${BASE%:*}:$PROXY_PORT
fi

# start_node DATA DB: starts serve, prints "PID PORT".
start_node() {
	"$BIN" serve --data "$1" --db "$2" --listen 127.0.0.1:0 --quiet --simulate-learners >"$1.out" 2>"$1.err" &
	local pid=$!
	for _ in $(seq 300); do grep -q 'http://' "$1.out" 2>/dev/null && break; sleep 0.1; done
	echo "$pid $(sed -n 's|.*http://[^:/]*:\([0-9]*\)/.*|\1|p' "$1.out" | head -1)"
}

for round in $(seq "$ROUNDS"); do
	for nodes in 1 3; do
		db="bench_${round}_${nodes}"
		psql "$POSTCARD_TEST_PG" -XAtq -c "CREATE DATABASE $db" >/dev/null
		URL="$BASE/$db"
		rm -rf "$WORK/pg"; mkdir -p "$WORK/pg"
		"$BIN" import "$WORK/sco2004.zip" --data "$WORK/pg/n0" --db "$URL" >/dev/null
		PIDS=(); PORTS=()
		for i in $(seq 0 $((nodes - 1))); do
			read -r pid port < <(start_node "$WORK/pg/n$i" "$URL")
			PIDS+=("$pid"); PORTS+=("$port")
		done
		TARGET=${PORTS[0]}
		if [ "$nodes" -gt 1 ]; then
			NG=$WORK/pg/nginx; mkdir -p "$NG"/{body,proxy,fastcgi,uwsgi,scgi}
			TARGET=$(free_port)
			{
				[ "$(id -u)" = 0 ] && echo "user root;"
				echo "worker_processes 1; daemon off; pid $NG/nginx.pid; error_log $NG/error.log warn;"
				echo "events { worker_connections 4096; }"
				echo "http { access_log off; client_body_temp_path $NG/body; proxy_temp_path $NG/proxy;"
				echo "  fastcgi_temp_path $NG/fastcgi; uwsgi_temp_path $NG/uwsgi; scgi_temp_path $NG/scgi;"
				echo "  upstream nodes {"
				for p in "${PORTS[@]}"; do echo "    server 127.0.0.1:$p;"; done
				echo "    keepalive 64; }"
				echo "  server { listen 127.0.0.1:$TARGET; client_max_body_size 4m;"
				echo "    location / { proxy_pass http://nodes; proxy_http_version 1.1;"
				echo "      proxy_set_header Connection \"\"; proxy_set_header Host \$http_host; } } }"
			} >"$NG/nginx.conf"
			"$NGINX" -p "$NG" -c "$NG/nginx.conf" &
			PIDS+=("$!")
			for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$TARGET") 2>/dev/null && break; sleep 0.1; done
		fi
		T0=0; for p in "${PIDS[@]:0:$nodes}"; do T0=$((T0 + $(cpu_ticks "$p"))); done
		"$WORK/commitload" http "$TARGET" test-sco2004 "$LEARNERS" "$SECONDS_PER_ROUND" >"$WORK/round.txt"
		T1=0; for p in "${PIDS[@]:0:$nodes}"; do T1=$((T1 + $(cpu_ticks "$p"))); done
		N=$(field commits <"$WORK/round.txt" | cut -d. -f1)
		awk -v t="$((T1 - T0))" -v hz="$(getconf CLK_TCK)" -v n="${N:-0}" \
			'{ sub(/}$/, sprintf(",\"server_cpu_us_per_commit\":%.0f}", n ? t / hz / n * 1e6 : 0)); print }' \
			"$WORK/round.txt" | tee -a "$WORK/pg$nodes.txt" >&2
		cleanup; PIDS=()
		if [ "$nodes" = 1 ]; then
			# The baseline writes as many commits as the node managed (at least 2000).
			[ "${N:-0}" -lt 2000 ] && N=2000
			"$WORK/commitload" pg "$URL" "$N" | tee -a "$WORK/pgbase.txt" >&2
		fi
	done
done
