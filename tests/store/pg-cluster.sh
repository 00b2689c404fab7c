#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster (tests only):
#   tests/store/pg-cluster.sh COMMAND [ARG...]
# initdb in a temporary folder, the server on a free loopback port with the settings that make a
# commit durable (fsync=on, synchronous_commit=on, full_page_writes=on), then COMMAND with
# POSTCARD_TEST_PG=postgresql://postgres@127.0.0.1:PORT (the `postgres` database; trust
# authentication on loopback only). The cluster is stopped and removed afterwards; the exit
# status is COMMAND's. PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user the Debian package creates (else `nobody`).
# Without PostgreSQL's server programs installed it fails, naming the package: `make deps`
# installs it, and a test that needs it must not pass without it.
set -euo pipefail

BINDIR=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
	[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { BINDIR=$d; break; }
done
if [ -z "$BINDIR" ]; then
	echo "pg-cluster.sh: PostgreSQL's server is not installed (Debian package 'postgresql'; 'make deps' installs it)" >&2
	exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/postcard-pg.XXXXXX")
chmod 755 "$WORK"
AS=()
if [ "$(id -u)" = 0 ]; then
	user=postgres
	id "$user" >/dev/null 2>&1 || user=nobody
	chown "$user" "$WORK"
	AS=(runuser -u "$user" --)
fi
PGDATA_DIR=$WORK/data
stop() {
	"${AS[@]}" "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap stop EXIT
trap "exit 143" TERM INT

"${AS[@]}" "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C --no-sync \
	>"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 2; }

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

started=
for _ in 1 2 3 4 5; do
	PORT=$(free_port)
	if "${AS[@]}" "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$WORK -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200 -c shared_buffers=64MB" \
		start >/dev/null 2>&1; then
		started=1
		break
	fi
done
if [ -z "$started" ]; then
	echo "pg-cluster.sh: the server did not start:" >&2
	cat "$WORK/server.log" >&2 || true
	exit 2
fi

export POSTCARD_TEST_PG="postgresql://postgres@127.0.0.1:$PORT/postgres"
export POSTCARD_TEST_PG_LOG="$WORK/server.log"
set +e
"$@"
status=$?
set -e
exit $status
