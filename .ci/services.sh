#!/usr/bin/env bash
# Sets up what the integration tests need beyond Python: a PostgreSQL server on
# loopback (store/API tests run on SQLite and PostgreSQL) and Debian's Chromium
# (browser tests). Prints `export VAR=...` lines for the caller to eval; all
# other output goes to stderr. Needs root and apt-get; elsewhere it says so and
# the tests that need these skip locally (under CI=true they fail instead).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "note: not root or no apt-get: PostgreSQL and Chromium tests will skip (set SOURCETRACE_TEST_PG_URL / install chromium to run them)" >&2
    exit 0
fi

if ! command -v chromium >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq chromium; } >&2 || echo "note: could not install chromium" >&2
fi

if [ -z "${SOURCETRACE_TEST_PG_URL:-}" ]; then
    bash "$here/postgres.sh" || echo "note: could not start PostgreSQL" >&2
fi
