#!/usr/bin/env bash
# Where does the time go? One bench/run scenario under wrk, with the CPU each process spent per request (service,
# PostgreSQL, wrk) and the service's hottest methods from Java Flight Recorder. Writes
# bench/results/profile-<scenario>-<timestamp>.md.
#   bench/profile.sh                          GET task by id, 32 connections, 20 s
#   SCENARIO=post-task CONNECTIONS=8 DURATION=20 bench/profile.sh
#   KEEP_JFR=/tmp/post.jfr SCENARIO=post-task bench/profile.sh   keeps the recording (jfr view, JDK Mission Control)
# SCENARIO is a script of bench/wrk (get-by-id, list-by-assignee, post-task, patch-if-match).
# The report also lists the statements PostgreSQL spent its time on during the measurement (pg_stat_statements).
set -euo pipefail
cd "$(dirname "$0")"
export BENCH_PG_OPTS="${BENCH_PG_OPTS:-} -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on"
. ./lib.sh
trap bench_cleanup EXIT

scenario=${SCENARIO:-get-by-id}
connections=${CONNECTIONS:-32}
seconds=${DURATION:-20}
[ -f "wrk/$scenario.lua" ] || { echo "no bench/wrk/$scenario.lua" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "building and starting (database in $BENCH_DIR)..."
bench_build
bench_start_db
bench_start_app "${BENCH_RUN_LIMITS[@]}"
echo "seeding..."
bench_seed
export BENCH_KEY=$ADMIN_KEY BENCH_CREATOR_KEYS=$BENCH_SEEDED_CREATOR_KEYS BENCH_LUA_DIR=$PWD/wrk BENCH_TASKS=100000 \
  BENCH_AGENTS=50 BENCH_PATCH_FIRST_ID=95001
threads=2; [ "$scenario" = patch-if-match ] && threads=$connections
# Warm-up long enough for C2 to finish the hot paths (its compile threads otherwise show in the service's CPU).
BENCH_NONCE=warm$(date +%s%N) BENCH_PATCH_FIRST_ID=99001 wrk -t 8 -c 8 -d "${WARMUP:-30}s" -s "wrk/$scenario.lua" \
  "http://127.0.0.1:$APP_PORT" >/dev/null 2>&1 || true

# CPU time in clock ticks: the service, every PostgreSQL process, and this shell's children (wrk) afterwards.
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() { local t=0 p; for p in $(pgrep -u postgres postgres); do t=$((t + $(ticks "$p"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
psql_bench -d olympus -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
psql_bench -d olympus -c "SELECT pg_stat_statements_reset()" >/dev/null
"$JAVA_HOME/bin/jcmd" "$APP_PID" JFR.start name=measured settings=profile >/dev/null
app_before=$(ticks "$APP_PID"); pg_before=$(pg_ticks)
echo "measuring $scenario at $connections connections for $seconds s..."
TIMEFORMAT='WRKCPU %U %S'
result=$({ time BENCH_NONCE=$(date +%s%N) wrk -t "$threads" -c "$connections" -d "${seconds}s" \
  -s "wrk/$scenario.lua" "http://127.0.0.1:$APP_PORT"; } 2>&1)
app_after=$(ticks "$APP_PID"); pg_after=$(pg_ticks)
"$JAVA_HOME/bin/jcmd" "$APP_PID" JFR.stop name=measured filename="$BENCH_DIR/app.jfr" >/dev/null
requests=$(echo "$result" | awk '/^RESULT/ {for (i = 2; i <= NF; i++) if ($i ~ /^requests=/) {sub(/requests=/, "", $i); print $i}}')
rps=$(echo "$result" | awk '/^RESULT/ {for (i = 2; i <= NF; i++) if ($i ~ /^rps=/) {sub(/rps=/, "", $i); print $i}}')
wrk_cpu=$(echo "$result" | awk '/^WRKCPU/ {print $2 + $3}')
per_request() { awk -v t="$1" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.0f", 1e6 * t / hz / n }'; }
app_us=$(per_request $((app_after - app_before)))
pg_us=$(per_request $((pg_after - pg_before)))
wrk_us=$(awk -v s="$wrk_cpu" -v n="$requests" 'BEGIN { printf "%.0f", 1e6 * s / n }')

# Per request: how often each statement ran, the database time it took, and how often it was planned (a prepared
# statement planned on every call shows 1.00 plans per call: its generic plan never won over the custom plans).
statements=$(psql_bench -d olympus -F ' | ' -c "
  SELECT round(calls::numeric / $requests, 2), round((total_exec_time * 1000 / $requests)::numeric, 1),
         round(mean_exec_time::numeric * 1000, 1), round(plans::numeric / calls, 2),
         round((total_plan_time * 1000 / $requests)::numeric, 1), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'olympus')
  ORDER BY total_exec_time + total_plan_time DESC LIMIT 12")
bench_stop_app
[ -n "${KEEP_JFR:-}" ] && cp "$BENCH_DIR/app.jfr" "$KEEP_JFR"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/profile-$scenario-$stamp.md
{
  echo "# Where the time goes: $scenario, $connections connections, $stamp"
  echo
  machine_description
  echo "- service options: ${BENCH_JAVA_OPTS:--Xmx1g}"
  echo "- $requests requests in $seconds s ($rps/s) after a ${WARMUP:-30} s warm-up; data set of bench/run"
  echo
  echo "| process | CPU per request (µs) |"
  echo "|---|---|"
  echo "| service (JVM) | $app_us |"
  echo "| PostgreSQL (all backends) | $pg_us |"
  echo "| wrk (load generator) | $wrk_us |"
  echo "| total | $((app_us + pg_us + wrk_us)) |"
  echo
  echo "With $(nproc) cores the machine can give $(awk -v n="$(nproc)" -v t="$((app_us + pg_us + wrk_us))" \
    'BEGIN { printf "%.0f", n * 1e6 / t }') requests/s at most to this mix."
  echo
  echo "## PostgreSQL: statements by execution time (pg_stat_statements, all backends)"
  echo
  echo "| calls per request | µs per request | µs per call | plans per call | planning µs per request | statement |"
  echo "|---|---|---|---|---|---|"
  echo "$statements" | sed -e 's/^/| /' -e 's/$/ |/'
  echo
  echo "## Service: hottest methods (JFR execution samples, top frame)"
  echo
  echo '```'
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$BENCH_DIR/app.jfr" 2>&1 | sed -n '5,29p'
  echo '```'
  echo
  echo "## Service: samples by library (top frame; a JDK frame counts for the first non-JDK frame that called it)"
  echo
  echo "| library | share of samples |"
  echo "|---|---|"
  "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$BENCH_DIR/app.jfr" | awk -f profile-libraries.awk
} > "$out"
cat "$out"
results/index.sh
