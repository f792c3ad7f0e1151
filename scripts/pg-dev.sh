#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on the loopback interface for the team-sync tests and benchmark.
#
#   eval "$(scripts/pg-dev.sh)"      # exports ANNOTATOR_TEST_PG=postgresql://...
#   scripts/pg-dev.sh --stop         # stops it
#
# Installs the Debian `postgresql` package when no server binaries are found and this runs as root
# (CI on a fresh machine), makes a cluster in $ANNOTATOR_PG_DIR (default /tmp/annotator-pg-$PORT) owned
# by the `postgres` user when run as root (initdb refuses root), listening on 127.0.0.1 only, and prints
# `export ANNOTATOR_TEST_PG=...` on stdout (everything else goes to stderr). Running it again reuses a
# running cluster. Port: $ANNOTATOR_PG_PORT, default 54329.
set -euo pipefail
PORT="${ANNOTATOR_PG_PORT:-54329}"
DIR="${ANNOTATOR_PG_DIR:-/tmp/annotator-pg-$PORT}"
DATA="$DIR/data"
log() { echo "pg-dev: $*" >&2; }

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$found" ] && [ -x "$found/pg_ctl" ]; then echo "$found"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; fi
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing the postgresql package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
    BIN="$(find_bin)"
  fi
fi
if [ -z "$BIN" ]; then
  log "no PostgreSQL server binaries found (install the postgresql package)"; exit 1
fi

# as root the cluster belongs to the postgres user; otherwise to whoever runs this
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if [ "${1:-}" = "--stop" ]; then
  [ -d "$DATA" ] && as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  exit 0
fi

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
PWFILE="$DIR/superuser-password"
if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb in $DATA"
  rm -rf "$DATA"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$PWFILE"
  [ "$(id -u)" = 0 ] && chown postgres "$PWFILE"
  chmod 600 "$PWFILE"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$PWFILE" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
fsync = off
shared_buffers = 64MB
CONF
fi
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >&2
fi
echo "export ANNOTATOR_TEST_PG='postgresql://postgres:$(cat "$PWFILE")@127.0.0.1:$PORT/postgres'"
