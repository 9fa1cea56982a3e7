#!/usr/bin/env bash
# `make replica-demo`: a real PostgreSQL streaming replica on this machine, and the load test served through it.
#
# Nothing of the machine's own PostgreSQL is touched: a throw-away primary (port 5434) is made with initdb in a
# temporary folder, its standby (port 5435) with pg_basebackup (-R: standby.signal and primary_conninfo), and
# both are stopped and deleted at the end. The load test (scripts/loadtest.py: the plan and the demo data loaded
# on the primary, `make serve`, wrk) then runs with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the
# standby, so the pages' reads go to the standby (tptto_monitor/replica.py). Afterwards the script prints what
# each server answered (pg_stat_database) and the standby's replay lag, so you can see where the reads went.
#
# Needs the PostgreSQL server binaries (Debian: postgresql) and, run as root, a `postgres` system user to own
# the servers (PostgreSQL refuses to run as root). Arguments go to the load test, e.g. `--seconds 10`.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/initdb" ] || { echo "PostgreSQL's server binaries are needed (Debian: apt-get install postgresql)"; exit 1; }
PRIMARY_PORT="${PRIMARY_PORT:-5434}"
STANDBY_PORT="${STANDBY_PORT:-5435}"
DB=tppo_replica_demo
WORK="$(mktemp -d /tmp/tppo-replica.XXXXXX)"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

stop() {
  for node in standby primary; do
    [ -f "$WORK/$node/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$WORK/$node" -m fast -w stop >/dev/null || true
  done
  rm -rf "$WORK"
}
trap stop EXIT INT TERM

sql() {  # sql PORT QUERY: one value
  as_pg "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "${3:-postgres}" -Atc "$2"
}

echo "== A primary on 127.0.0.1:$PRIMARY_PORT ($WORK/primary)"
as_pg "$BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust >/dev/null
echo "host replication postgres 127.0.0.1/32 trust" >>"$WORK/primary/pg_hba.conf"
as_pg "$BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start \
  -o "-p $PRIMARY_PORT -k $WORK -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=4" >/dev/null
sql "$PRIMARY_PORT" "CREATE DATABASE $DB" >/dev/null

echo "== Its streaming standby on 127.0.0.1:$STANDBY_PORT (pg_basebackup -R)"
as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/standby" -R -X stream
as_pg "$BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w start \
  -o "-p $STANDBY_PORT -k $WORK -c listen_addresses=127.0.0.1 -c hot_standby=on -c hot_standby_feedback=on" >/dev/null
[ "$(sql "$STANDBY_PORT" "SELECT pg_is_in_recovery()")" = t ] || { echo "the standby is not in recovery"; exit 1; }
echo "   the standby replays the primary: $(sql "$PRIMARY_PORT" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") stream(s)"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB"
before_primary="$(sql "$PRIMARY_PORT" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$DB'")"
before_standby="$(sql "$STANDBY_PORT" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$DB'")"

echo "== The load test, reads on the standby"
status=0
.venv/bin/python scripts/loadtest.py "$@" || status=$?

after_primary="$(sql "$PRIMARY_PORT" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$DB'")"
after_standby="$(sql "$STANDBY_PORT" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$DB'")"
echo
echo "== Where the reads went (rows returned by each server, pg_stat_database; the primary's include loading the plan and the demo data)"
echo "   primary: $((after_primary - before_primary))"
echo "   standby: $((after_standby - before_standby))"
primary_lsn="$(sql "$PRIMARY_PORT" "SELECT pg_current_wal_lsn()")"
echo "   the standby is $(sql "$STANDBY_PORT" "SELECT pg_wal_lsn_diff('$primary_lsn', pg_last_wal_replay_lsn())") bytes of WAL behind the primary"
exit "$status"
