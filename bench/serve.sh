#!/usr/bin/env bash
# Static asset throughput: wrk against a 16 KiB package file served by `postcard serve` straight
# from the stored zip (on the package's content origin, under a launch token, authorised by
# launch_authorize as the player frame's requests are), and against nginx serving the same file
# extracted to disk. Same machine,
# same run, keep-alive, 64 connections, the same number of server threads / nginx workers, access
# logs off on both. Three alternating rounds; medians. Then the same file from a team-mode server
# (an account exists; the launch made by a signed-in learner), three rounds alternating with
# nginx again: with accounts on, content must be no slower (content origins read no cookie).
# Ends with one JSON line.
#   bench/serve.sh [SECONDS_PER_ROUND] [THREADS]     (defaults 8 and 1)
# Installs wrk and nginx (Debian packages) when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-8}
THREADS=${2:-1}
CONNECTIONS=64
ROUNDS=3
BIN=${POSTCARD_BIN:-build/cli/postcard}
[ -x "$BIN" ] || make build >/dev/null
need=""
command -v wrk >/dev/null || need="$need wrk"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >/dev/null
	else
		echo "bench/serve.sh needs:$need (sudo apt-get install -y$need)" >&2
		exit 2
	fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/postcard-bench-serve.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# A package with a 16 KiB asset (text-like, so the zip really deflates it).
mkdir -p "$WORK/pkg" "$WORK/www/assets"
cp tests/server/fixtures/sco12/* "$WORK/pkg/"
mkdir -p "$WORK/pkg/assets"
head -c 12288 /dev/urandom | base64 -w 76 | head -c 16384 > "$WORK/pkg/assets/app.js"
cp "$WORK/pkg/assets/app.js" "$WORK/www/assets/app.js"
node -e "require('./tests/server/lib/zip').packFixture('$WORK/pkg', '$WORK/pkg.zip')"
"$BIN" import "$WORK/pkg.zip" --data "$WORK/data" >/dev/null

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes $THREADS;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	include /etc/nginx/mime.types;
	sendfile on; tcp_nopush on; tcp_nodelay on;
	keepalive_timeout 60; keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/www;
		etag on;
	}
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
"$BIN" serve --data "$WORK/data" --listen 127.0.0.1:0 --threads "$THREADS" --quiet >"$WORK/serve.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q 'http://' "$WORK/serve.out" && break; sleep 0.1; done
PC_PORT=$(sed -n 's|.*http://postcard.localhost:\([0-9]*\)/.*|\1|p' "$WORK/serve.out")
# A launch, as the player page and its frame make it: the file's address carries its token.
FRAME=$(curl -sf -X POST "http://127.0.0.1:$PC_PORT/api/launch/test-sco12" | sed -n 's|.*"frameUrl":"\([^"]*\)".*|\1|p')
PC_HOST=$(echo "$FRAME" | sed 's|^http://\([^/]*\)/.*|\1|')
PC_PATH=$(echo "$FRAME" | sed 's|^http://[^/]*||')
curl -sf -X POST -H "Host: $PC_HOST" "http://127.0.0.1:$PC_PORT${PC_PATH}launch" >/dev/null
PC_URL="http://127.0.0.1:$PC_PORT${PC_PATH}c/assets/app.js"
NG_URL="http://127.0.0.1:$NGINX_PORT/assets/app.js"
HOST_PC="Host: $PC_HOST"
HOST_NG="Host: 127.0.0.1:$NGINX_PORT"
for pair in "$PC_URL|$HOST_PC" "$NG_URL|$HOST_NG"; do # both up and serving the same bytes
	url=${pair%%|*}; host=${pair#*|}
	for _ in $(seq 50); do curl -sf -H "$host" -o "$WORK/got" "$url" && break; sleep 0.1; done
	cmp "$WORK/got" "$WORK/www/assets/app.js" || { cat "$WORK/nginx-error.log" >&2; exit 1; }
done

# The same package in a team-mode data folder: an admin made on the command line, a learner
# signed in through the form; the launch is theirs.
PASSWORD='bench password 0123'
cp -r "$WORK/data" "$WORK/team"
echo "$PASSWORD" | "$BIN" user add bench@example.org --admin --data "$WORK/team" >/dev/null
"$BIN" serve --data "$WORK/team" --listen 127.0.0.1:0 --threads "$THREADS" --quiet >"$WORK/team.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q 'http://' "$WORK/team.out" && break; sleep 0.1; done
TM_PORT=$(sed -n 's|.*http://postcard.localhost:\([0-9]*\)/.*|\1|p' "$WORK/team.out")
TM="http://127.0.0.1:$TM_PORT"
curl -sf -c "$WORK/jar" -o /dev/null "$TM/login"
FORM=$(awk '$6 == "pc_form" {print $7}' "$WORK/jar")
curl -sf -b "$WORK/jar" -c "$WORK/jar" -o /dev/null --data-urlencode "form=$FORM" \
	--data-urlencode "email=bench@example.org" --data-urlencode "password=$PASSWORD" "$TM/login"
CSRF=$(curl -sf -b "$WORK/jar" "$TM/" | sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' | head -1)
[ -n "$CSRF" ] || { echo "bench/serve.sh: could not sign in to the team-mode server" >&2; exit 1; }
FRAME=$(curl -sf -b "$WORK/jar" -H "X-CSRF-Token: $CSRF" -X POST "$TM/api/launch/test-sco12" | sed -n 's|.*"frameUrl":"\([^"]*\)".*|\1|p')
TM_HOST=$(echo "$FRAME" | sed 's|^http://\([^/]*\)/.*|\1|')
TM_PATH=$(echo "$FRAME" | sed 's|^http://[^/]*||')
curl -sf -X POST -H "Host: $TM_HOST" "$TM${TM_PATH}launch" >/dev/null
TM_URL="$TM${TM_PATH}c/assets/app.js"
HOST_TM="Host: $TM_HOST"
curl -sf -H "$HOST_TM" -o "$WORK/got" "$TM_URL"
cmp "$WORK/got" "$WORK/www/assets/app.js"

# wrk's own threads: 2 (the machine has 2 cores; the servers get the rest).
measure() { # URL HOST-HEADER -> "rps p99_ms"
	wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency -H "$2" "$1" | awk '
		/Requests\/sec/ {rps=$2}
		/^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
		END {print rps, p99}'
}
: > "$WORK/pc.txt"; : > "$WORK/ng.txt"
wrk -t1 -c8 -d1s -H "$HOST_PC" "$PC_URL" >/dev/null; wrk -t1 -c8 -d1s -H "$HOST_NG" "$NG_URL" >/dev/null # warm up
for round in $(seq $ROUNDS); do
	measure "$PC_URL" "$HOST_PC" | tee -a "$WORK/pc.txt" | sed 's/^/postcard /' >&2
	measure "$NG_URL" "$HOST_NG" | tee -a "$WORK/ng.txt" | sed 's/^/nginx    /' >&2
done
wrk -t1 -c8 -d1s -H "$HOST_TM" "$TM_URL" >/dev/null
: > "$WORK/tm.txt"; : > "$WORK/ng2.txt"
for round in $(seq $ROUNDS); do
	measure "$TM_URL" "$HOST_TM" | tee -a "$WORK/tm.txt" | sed 's/^/team     /' >&2
	measure "$NG_URL" "$HOST_NG" | tee -a "$WORK/ng2.txt" | sed 's/^/nginx    /' >&2
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
PC_RPS=$(cut -d' ' -f1 "$WORK/pc.txt" | median); PC_P99=$(cut -d' ' -f2 "$WORK/pc.txt" | median)
NG_RPS=$(cut -d' ' -f1 "$WORK/ng.txt" | median); NG_P99=$(cut -d' ' -f2 "$WORK/ng.txt" | median)
RATIO=$(awk -v a="$PC_RPS" -v b="$NG_RPS" 'BEGIN {printf "%.2f", a / b}')
TM_RPS=$(cut -d' ' -f1 "$WORK/tm.txt" | median); TM_P99=$(cut -d' ' -f2 "$WORK/tm.txt" | median)
NG2_RPS=$(cut -d' ' -f1 "$WORK/ng2.txt" | median)
TM_RATIO=$(awk -v a="$TM_RPS" -v b="$NG2_RPS" 'BEGIN {printf "%.2f", a / b}')
TM_LOCAL=$(awk -v a="$TM_RPS" -v b="$PC_RPS" 'BEGIN {printf "%.2f", a / b}')
echo "{\"bench\":\"serve\",\"asset_bytes\":16384,\"connections\":$CONNECTIONS,\"threads\":$THREADS,\"rounds\":$ROUNDS,\"postcard_rps\":$PC_RPS,\"postcard_p99_ms\":$PC_P99,\"baseline\":\"nginx-$THREADS-worker\",\"nginx_rps\":$NG_RPS,\"nginx_p99_ms\":$NG_P99,\"ratio\":$RATIO,\"team_rps\":$TM_RPS,\"team_p99_ms\":$TM_P99,\"nginx_rps_team_rounds\":$NG2_RPS,\"team_ratio\":$TM_RATIO,\"team_vs_local\":$TM_LOCAL,\"target_ratio\":1.0}"
