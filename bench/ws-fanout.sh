#!/usr/bin/env bash
# WebSocket fan-out benchmark: a throwaway PostgreSQL (durable, as bench/run) and the packaged service (prod mode),
# SUBSCRIBERS WebSocket subscribers on that one instance, RATE events per second committed through the REST API for
# DURATION seconds, and the delay from commit to receipt (p50/p99). Writes bench/results/ws-fanout-<timestamp>.md and
# updates the index bench/results/README.md. Loopback only, free ports, bounded in time (about DURATION + 60 s).
#   bench/ws-fanout.sh                                  1,000 subscribers, 20 events/s, 30 s
#   SUBSCRIBERS=200 RATE=50 DURATION=20 bench/ws-fanout.sh
set -euo pipefail
cd "$(dirname "$0")"

free_port() { # a port nobody listens on
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)}
export BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
trap bench_cleanup EXIT

subscribers=${SUBSCRIBERS:-1000}
rate=${RATE:-20}
seconds=${DURATION:-30}
warmup=${WARMUP:-5}

echo "building and starting (database in $BENCH_DIR, service on :$APP_PORT)..." >&2
bench_build
bench_start_db
# Guard rails (when present) stay on, with budgets far above the offered load.
bench_start_app -Dolympus.rate-limit.orchestrator.quota=100000000 -Dolympus.rate-limit.operator.quota=100000000

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/ws-fanout-$stamp.md
cpu_seconds() { # utime + stime of a process and its threads, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
app_cpu_before=$(cpu_seconds "$APP_PID")
result=$("$JAVA_HOME/bin/java" -Xmx1g ws-fanout/Bench.java --url "http://127.0.0.1:$APP_PORT" --key "$ADMIN_KEY" \
  --subscribers "$subscribers" --rate "$rate" --seconds "$seconds" --warmup "$warmup")
app_cpu=$(awk -v a="$app_cpu_before" -v b="$(cpu_seconds "$APP_PID")" 'BEGIN {printf "%.1f", b - a}')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Olympus WebSocket fan-out benchmark, $stamp"
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "- $(java_version), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') (durable: fsync on)"
  echo "- load client (bench/ws-fanout/Bench.java, JDK WebSocket), service and database share the same cores;"
  echo "  load average before/after: $load_before / $load_after (other work on the machine shows here)"
  echo
  echo "$result"
  echo "- CPU used by the service during the run (connect, writes, fan-out): $app_cpu s"
} > "$out"
results/index.sh
cat "$out"
