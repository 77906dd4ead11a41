#!/usr/bin/env bash
# Start-up and idle memory of already-built fast-jars, side by side and alternated (no build: for before/after
# comparisons while builds are expensive). Time to the first 200 from /q/health/ready and RSS 2 s later, plain JVM.
#   bench/startup-compare.sh LABEL=/path/to/quarkus-app LABEL2=/path/to/other/quarkus-app ...
# Writes bench/results/startup-compare-<timestamp>.md. bench/startup measures one version with the AOT cache too.
set -euo pipefail
cd "$(dirname "$0")"
free_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)}
export BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
trap bench_cleanup EXIT
runs=${STARTUP_RUNS:-3}
bench_start_db

measure() { # app-dir database -> "ready_ms idle_rss_mib"
  local start; start=$(date +%s%N)
  (cd "$1" && OLYMPUS_DB_NAME=$2 OLYMPUS_DB_HOST=127.0.0.1 OLYMPUS_DB_PORT=$DB_PORT OLYMPUS_BOOTSTRAP_KEY=$ADMIN_KEY QUARKUS_HTTP_PORT=$APP_PORT \
    exec "$JAVA_HOME/bin/java" -Xmx256m -jar quarkus-run.jar > "$BENCH_DIR/startup-app.log" 2>&1) &
  local pid=$!
  until curl -fs "http://127.0.0.1:$APP_PORT/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$BENCH_DIR/startup-app.log" >&2; exit 1; }
    sleep 0.01
  done
  local ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 2
  local rss; rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo "$ready_ms $rss"
}

declare -A ready rss
labels=()
for spec in "$@"; do labels+=("${spec%%=*}"); done
# Each version gets a database of its own (their migrations differ); its first start migrates it: not measured.
n=0
declare -A dbs
for spec in "$@"; do
  n=$((n + 1)); dbs[${spec%%=*}]=olympus_$n
  psql_bench -c "CREATE DATABASE olympus_$n OWNER olympus" >/dev/null
  measure "${spec#*=}" "olympus_$n" >/dev/null
done
for _ in $(seq 1 "$runs"); do
  for spec in "$@"; do
    read -r r m < <(measure "${spec#*=}" "${dbs[${spec%%=*}]}")
    ready[${spec%%=*}]+="$r "; rss[${spec%%=*}]+="$m "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/startup-compare-$stamp.md
{
  echo "# Start-up, side by side, $stamp"; echo; machine_description
  echo "- load average: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each, alternated; plain JVM (-Xmx256m), fast-jar"; echo
  echo "| version | ready ms (median) | all runs | idle RSS MiB (median) | all runs |"; echo "|---|---|---|---|---|"
  for l in "${labels[@]}"; do
    echo "| $l | $(echo "${ready[$l]}" | median) | ${ready[$l]} | $(echo "${rss[$l]}" | median) | ${rss[$l]} |"
  done
} > "$out"
results/index.sh
cat "$out"
