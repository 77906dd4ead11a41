#!/usr/bin/env bash
# Velocity on one million events: times GET /api/v1/metrics/velocity over HTTP on a synthetic year of history
# (bench/velocity-data.sql: TASKS=125000 tasks x 8 events), median of RUNS calls after one warm-up.
# Writes bench/results/velocity-<timestamp>.md (indexed in results/README.md); plans of statements over 200 ms
# (auto_explain, EXPLAIN ANALYZE) go to bench/results/raw/velocity-postgres-<timestamp>.log.
# Takes about 3 minutes; not part of ./verify. Uses free ports unless BENCH_DB_PORT / BENCH_APP_PORT are set.
set -euo pipefail
cd "$(dirname "$0")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)} BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
trap bench_cleanup EXIT
tasks=${TASKS:-125000}
runs=${RUNS:-5}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/velocity-$stamp.md
mkdir -p results/raw

bench_build
bench_start_db
# Slow statements' plans into the server log, for every session opened from now on.
psql_bench -c "LOAD 'auto_explain'" -c "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" \
  -c "ALTER SYSTEM SET auto_explain.log_min_duration = 200" -c "ALTER SYSTEM SET auto_explain.log_analyze = on" \
  -c "ALTER SYSTEM SET auto_explain.log_buffers = on" -c "SELECT pg_reload_conf()" >/dev/null
echo "starting Olympus (migrates the schema)..."
bench_start_app -Dolympus.metrics.refresh-interval=1h

echo "generating $((tasks * 8)) events..."
start=$(date +%s)
sizes=$(psql_olympus -v tasks="$tasks" -f velocity-data.sql)
generated=$(( $(date +%s) - start ))

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
week_ago=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)
year_ago=$(date -u -d '365 days ago' +%Y-%m-%dT%H:%M:%SZ)
{
  echo "# Velocity benchmark, $stamp"
  echo
  machine_description | sed 's/, wrk .*//'
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- history: $(echo "$sizes" | awk -F'|' '{printf "%s events (%s), %s projected into velocity_events (%s)", $1, $2, $3, $4}'); inserted in ${generated} s"
  echo "- HTTP time of GET /api/v1/metrics/velocity, median of $runs calls after one warm-up"
  echo
  echo "| query | median ms | all runs (s) | total.created |"
  echo "|---|---|---|---|"
} > "$out"

measure() {
  local label=$1 query=$2 times=() created median
  created=$(api "http://127.0.0.1:$APP_PORT/api/v1/metrics/velocity?$query" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["created"])')
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $ADMIN_KEY" \
      "http://127.0.0.1:$APP_PORT/api/v1/metrics/velocity?$query")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)] * 1000}')
  echo "| $label | $median | ${times[*]} | $created |" | tee -a "$out"
}
measure "last 24 h by hour (default)" ""
measure "last 7 days by hour" "since=$week_ago&until=$now"
measure "last 7 days by hour, createdBy=orchestrator-3" "since=$week_ago&until=$now&createdBy=orchestrator-3"
measure "last 365 days by day" "since=$year_ago&until=$now&bucket=day"
measure "last 365 days by day, assignee=worker-7" "since=$year_ago&until=$now&bucket=day&assignee=worker-7"

cp "$BENCH_DIR/postgres.log" "results/raw/velocity-postgres-$stamp.log"
results/index.sh
echo "wrote bench/$out"
