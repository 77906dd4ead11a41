#!/usr/bin/env bash
# Event ordering, at the SQL level: 32 clients appending one event per transaction (a ~400-byte task snapshot into
# the events table with its real indexes), three designs side by side in one run, RUNS rounds, SECONDS each:
#   lock   - the advisory lock held through COMMIT (the design before V8): commits one at a time
#   column - no lock; one extra client runs the post-commit sequencer (positions in a column of events, V8)
#   table  - no lock; writers also queue the id, the sequencer moves it into a narrow positions table
# Writes bench/results/event-ordering-<timestamp>.md.
set -euo pipefail
cd "$(dirname "$0")"
. ./lib.sh
trap bench_cleanup EXIT
rounds=${RUNS:-2}; seconds=${SECONDS_EACH:-10}
bench_start_db
dir=$BENCH_DIR/sql; cp -r pgbench/event-ordering "$dir"; chmod -R a+rX "$dir"
psql_bench -d olympus -f "$dir/schema.sql" >/dev/null 2>&1
pg() { as_postgres "$PG_BIN/pgbench" -h "$BENCH_DIR" -p "$DB_PORT" -U postgres -n -T "$seconds" "$@" olympus 2>&1; }
tps() { awk '/^tps/ {printf "%.0f", $3}'; }
run() { # design -> "tps sequencer_tps"
  local seq_pid= seq_out=$BENCH_DIR/seq.out
  if [ "$1" != lock ]; then pg -c 1 -f "$dir/$1-sequencer.sql" > "$seq_out" & seq_pid=$!; fi
  local w; w=$(pg -c 32 -j 2 -f "$dir/$1-writer.sql" | tps)
  local s=-; if [ -n "$seq_pid" ]; then wait "$seq_pid"; s=$(tps < "$seq_out"); fi
  echo "$w $s"
}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ); out=results/event-ordering-$stamp.md
{
  echo "# Event ordering designs, pgbench, $stamp"; echo; machine_description; echo
  echo "32 writer clients, $seconds s per run; sequencer transactions/s in brackets (each positions a batch)."; echo
  echo "| round | lock through commit tps | column sequencer tps | table sequencer tps |"; echo "|---|---|---|---|"
  for r in $(seq 1 "$rounds"); do
    read -r l _ < <(run lock); read -r c cs < <(run column); read -r t ts < <(run table)
    echo "| $r | $l | $c ($cs) | $t ($ts) |"
  done
  echo; echo "Unpositioned left at the end (the sequencer kept up when these are small):"
  echo "column: $(psql_bench -d olympus -c 'SELECT count(*) FILTER (WHERE position IS NULL) FROM col.events')," \
       "table: $(psql_bench -d olympus -c 'SELECT count(*) FROM tbl.queue')"
} > "$out"
results/index.sh
cat "$out"
