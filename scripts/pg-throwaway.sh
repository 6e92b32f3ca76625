#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 and a free port, for tests (DESIGN.md §5).
# Prints the URL to use as KOSMO_TEST_DATABASE_URL. Stop it with: scripts/pg-throwaway.sh stop DIR
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
if [ "${1:-}" = "stop" ]; then
  runuser -u postgres -- "$bindir/pg_ctl" -D "$2/data" -m fast stop >/dev/null
  exit 0
fi
dir=${1:-$(mktemp -d /tmp/kosmo-pg.XXXXXX)}
mkdir -p "$dir"; chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
runuser -u postgres -- "$bindir/initdb" -D "$dir/data" -U kosmo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
echo "postgres://kosmo@127.0.0.1:$port/postgres"
