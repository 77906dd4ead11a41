#!/usr/bin/env bash
# Measures GET /api/v1/metrics/velocity on one million synthetic events (bench/velocity-data.sql).
#
#   bench/velocity.sh             # TASKS=125000 (8 events each), RUNS=5 timed calls per query
#
# Starts a throwaway PostgreSQL and the packaged application (built if missing) on free ports, fills the event log,
# times each query over HTTP (median of RUNS after one warm-up call), and stops both. Slow statements' plans
# (auto_explain, EXPLAIN ANALYZE) are kept in bench/results/raw/. Takes a few minutes; not part of ./verify.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${OLYMPUS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
tasks=${TASKS:-125000}
runs=${RUNS:-5}
key=olk_bench-velocity-key-0123456789abcdefghij
raw=bench/results/raw
mkdir -p "$raw"

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/olympus-bench-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
db_port=$(free_port)
http_port=$(free_port)
app=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null || true
  as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Plans of statements over 200 ms go to the server log (auto_explain); durability off: throwaway data.
as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $db_port -k $dir -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB \
  -c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=200 -c auto_explain.log_analyze=on \
  -c auto_explain.log_buffers=on" start >/dev/null
psql_db() { as_postgres "$pg_bin/psql" -h "$dir" -p "$db_port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_db -c "CREATE USER olympus WITH PASSWORD 'olympus'" -c "CREATE DATABASE olympus OWNER olympus"

echo "Starting Olympus (migrates the schema)..."
OLYMPUS_DB_HOST=127.0.0.1 OLYMPUS_DB_PORT=$db_port OLYMPUS_BOOTSTRAP_KEY=$key QUARKUS_HTTP_PORT=$http_port \
QUARKUS_HTTP_HOST=127.0.0.1 OLYMPUS_METRICS_REFRESH_INTERVAL=1h \
  "$JAVA_HOME/bin/java" -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$raw/velocity-app.log" 2>&1 &
app=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$http_port/q/health/ready" >/dev/null && break
  sleep 0.5
done

echo "Generating $((tasks * 8)) events..."
start=$(date +%s)
psql_db -d olympus -v tasks="$tasks" -f bench/velocity-data.sql
echo "  generated in $(( $(date +%s) - start )) s"

api="http://127.0.0.1:$http_port/api/v1/metrics/velocity"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
year_ago=$(date -u -d '365 days ago' +%Y-%m-%dT%H:%M:%SZ)
week_ago=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)
measure() {
  local label=$1 query=$2 times=() body
  body=$(curl -sf -H "Authorization: Bearer $key" "$api?$query")
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" "$api?$query")")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-44s median %6.0f ms   (runs: %s)   total.created=%s\n' "$label" "$(awk -v s="$median" 'BEGIN { print s * 1000 }')" \
    "${times[*]}" "$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["created"])')"
}
echo "Timing (HTTP, median of $runs):"
measure "last 24 h, hourly (default)" ""
measure "last 7 days, hourly" "since=$week_ago&until=$now"
measure "last 7 days, hourly, createdBy=orchestrator-3" "since=$week_ago&until=$now&createdBy=orchestrator-3"
measure "last 365 days, daily" "since=$year_ago&until=$now&bucket=day"
measure "last 365 days, daily, assignee=worker-7" "since=$year_ago&until=$now&bucket=day&assignee=worker-7"

cp "$dir/log" "$raw/velocity-postgres.log"
echo "Plans of the slow statements: $raw/velocity-postgres.log"
