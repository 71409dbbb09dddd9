#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the store/API tests.
#   eval "$(.ci/postgres.sh)"     # exports SOURCETRACE_TEST_PG_URL
# Idempotent: installs Debian's postgresql package if missing, reuses a server it
# started earlier (same data dir) if it is still running. Needs root (apt, su postgres).
set -euo pipefail

PGDIR="${SOURCETRACE_PG_DIR:-/tmp/sourcetrace-pg}"
DB="${SOURCETRACE_PG_DB:-sourcetrace_test}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { su postgres -s /bin/sh -c "$*"; }

mkdir -p "$PGDIR"
chown postgres:postgres "$PGDIR"
if [ ! -s "$PGDIR/data/PG_VERSION" ]; then
    as_pg "'$BIN/initdb' -D '$PGDIR/data' -A trust -U postgres --no-sync" >&2
fi

if ! as_pg "'$BIN/pg_ctl' -D '$PGDIR/data' status" >/dev/null 2>&1; then
    # Pick a free loopback port.
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    echo "$PORT" > "$PGDIR/port"
    as_pg "'$BIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/server.log' -w -o \"-p $PORT -k '$PGDIR' -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2
fi
PORT="$(cat "$PGDIR/port")"

if ! as_pg "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1; then
    as_pg "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres '$DB'" >&2
fi

URL="postgresql://postgres@127.0.0.1:$PORT/$DB"
echo "export SOURCETRACE_TEST_PG_URL=$URL"
