#!/usr/bin/env bash
# Waking benchmarks (issue 17): idle-to-claimed latency with 100 waiting workers, webhook throughput and latency to a
# loopback receiver (10 webhooks), and the CPU cost of 1,000 idle waiting claims. One instance, production mode,
# its own throwaway PostgreSQL. Results: bench/results/wake-<time>.md. Takes about 3 minutes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
bench_build
bench_start_db
# Limits lifted so that the benchmark measures waking, not the guard rails.
bench_start_app -Dolympus.tasks.create-budget-per-minute=1000000 -Dolympus.tasks.max-open-per-creator=1000000 \
  -Dolympus.rate-limit.enabled=false
out="$BENCH_ROOT/bench/results/wake-$(date -u +%Y-%m-%dT%H%M%SZ).md"
"$JAVA_HOME/bin/java" "$BENCH_ROOT/bench/Wake.java" --url "http://127.0.0.1:$APP_PORT" --key "$ADMIN_KEY" --pid "$APP_PID" \
  --out "$out" "$@"
{ echo; echo "Machine: $(machine_description); $(java_version)"; echo "Load during the run: $(cat /proc/loadavg)"; } >> "$out"
"$BENCH_ROOT/bench/results/index.sh"
echo "Results: $out"
