#!/usr/bin/env bash
# POST /api/v1/plans with 100 tasks and dependencies between them (each task depends on the one before it and on
# the first one; the last on five refs): HTTP time, median (p50) and p90 of RUNS plans after WARMUP plans, one at a
# time, each by a fresh orchestrator (so budget and duplicate checks do real work, not early refusals).
# Target: p50 < 100 ms. Writes bench/results/plans-<timestamp>.md. Short (about a minute after the build); the
# machine is shared: say so in the result and compare runs on a quiet machine. Not part of ./verify.
set -euo pipefail
cd "$(dirname "$0")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)} BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
trap bench_cleanup EXIT
runs=${RUNS:-30}
warmup=${WARMUP:-10}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/plans-$stamp.md

bench_build
bench_start_db
echo "starting Olympus..."
bench_start_app -Dolympus.tasks.create-budget-per-minute=100000 -Dolympus.tasks.max-open-per-creator=100000
base=http://127.0.0.1:$APP_PORT/api/v1

plan() { # a plan of 100 tasks titled with $1
  python3 - "$1" <<'PY'
import json, sys
p = sys.argv[1]
tasks = []
for i in range(100):
    deps = [] if i == 0 else sorted({"t0", "t%d" % (i - 1)})
    if i == 99:
        deps = ["t%d" % j for j in range(90, 95)]
    tasks.append({"ref": "t%d" % i, "title": "%s step %d" % (p, i), "labels": ["bench"], "dependsOn": deps,
                  "acceptanceCriteria": ["works"], "reviewRequired": i % 2 == 0})
print(json.dumps({"tasks": tasks}))
PY
}

times=()
for n in $(seq 1 $((warmup + runs))); do
  key=$(curl -fsS -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' -X POST "$base/agents" \
    -d "{\"name\":\"bench-planner-$n\",\"role\":\"orchestrator\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
  plan "plan $n" > "$BENCH_DIR/plan.json"
  t=$(curl -fsS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -X POST "$base/plans" --data-binary @"$BENCH_DIR/plan.json")
  [ "$n" -gt "$warmup" ] && times+=("$t")
done
stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int((NR+1)/2)]*1000, a[int(NR*0.9)]*1000, a[NR]*1000}')
read -r p50 p90 max <<< "$stats"
{
  echo "# Plans benchmark, $stamp"
  echo
  machine_description | sed 's/, wrk .*//'
  echo "- load average at start of the measurement: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other builds: numbers are an upper bound)"
  echo "- POST /api/v1/plans, 100 tasks each, every task depending on the first and the previous one, the last on five others (200 edges), criteria, half with reviewRequired; $runs plans after $warmup warm-up plans, one at a time"
  echo
  echo "| p50 ms | p90 ms | max ms | target p50 |"
  echo "|---|---|---|---|"
  echo "| $p50 | $p90 | $max | < 100 ms |"
} > "$out"
cat "$out"
results/index.sh
echo "wrote bench/$out"
