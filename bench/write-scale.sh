#!/usr/bin/env bash
# Writes that grow with instances: the write mix (POST /tasks, PATCH with If-Match) against ONE service instance and
# against TWO instances on the same PostgreSQL, with the same total client connections, next to pgbench running the
# same statements in the same run. Writes bench/results/write-scale-<timestamp>.md.
#   bench/write-scale.sh                                   this checkout, 32 connections, 10 s per measurement
#   BENCH_ROOT=/path/to/older/checkout LABEL=before bench/write-scale.sh   the same against another version (LABEL goes in the title)
# Two instances share the 2 cores of this machine with the database and wrk, so the ratio shows whether anything in
# the write path serialises across instances (it cannot show a second machine's cores).
set -euo pipefail
cd "$(dirname "$0")"
free_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); (echo > "/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)}
export BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
second_pid=
cleanup() { [ -n "$second_pid" ] && { kill "$second_pid" 2>/dev/null; wait "$second_pid" 2>/dev/null || true; }; bench_cleanup; }
trap cleanup EXIT

seconds=${BENCH_SECONDS:-10}
total=${BENCH_CONNECTIONS:-32}
half=$((total / 2))
pg_scripts=$BENCH_ROOT/bench/pgbench
[ -f "$pg_scripts/insert-task.sql" ] || pg_scripts=$PWD/pgbench

bench_build
bench_start_db
bench_start_app "${BENCH_RUN_LIMITS[@]}"
bench_seed
export BENCH_KEY=$ADMIN_KEY BENCH_CREATOR_KEYS=$BENCH_SEEDED_CREATOR_KEYS BENCH_LUA_DIR=$PWD/wrk BENCH_TASKS=100000 BENCH_AGENTS=50
second_port=$(free_port)
bench_launch_app "$second_port" "$BENCH_DIR/app2.log" "${BENCH_RUN_LIMITS[@]}"
second_pid=$LAUNCHED_PID
bench_wait_ready "$second_port" "$second_pid" "$BENCH_DIR/app2.log" 600

wrk_run() { # port script connections threads first-patch-id -> RESULT fields
  BENCH_PATCH_FIRST_ID=$5 BENCH_NONCE=$(date +%s%N)$1 wrk -t "$4" -c "$3" -d "${seconds}s" --timeout 10s -s "wrk/$2.lua" \
    "http://127.0.0.1:$1" | awk '/^RESULT/ {sub(/^RESULT /, ""); print}'
}
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
pgbench_tps() { # script -> tps, with the event sequencer beside it when this version has one
  local sequencer=
  if [ -f "$pg_scripts/sequencer.sql" ]; then bench_sequencer "$seconds" & sequencer=$!; fi
  as_postgres "$PG_BIN/pgbench" -h "$BENCH_DIR" -p "$DB_PORT" -U olympus -n -M prepared -c "$total" -j 2 -T "$seconds" \
    -f "$pg_scripts/$1" olympus 2>/dev/null | awk '/^tps/ {print int($3); exit}'
  if [ -n "$sequencer" ]; then wait "$sequencer"; fi
}
threads_for() { [ "$1" = patch-if-match ] && echo "$2" || echo 2; }

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/write-scale-$stamp.md
{
  echo "# Writes with one and two instances, $stamp${LABEL:+ ($LABEL)}"
  echo
  machine_description
  echo "- version: $(git -C "$BENCH_ROOT" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
  echo "- $total client connections in total, $seconds s per measurement; 100,000 tasks; PostgreSQL durable (fsync on);"
  echo "  two instances: $half connections to each, run at the same time, requests/s summed, p99 the worse of the two"
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| scenario | 1 instance req/s | p99 ms | 2 instances req/s | p99 ms | 2 / 1 | pgbench TPS (same statements) | 1 inst / pgbench | 2 inst / pgbench |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$out"

patch_id=90001
for scenario in post-task:insert-task.sql patch-if-match:update-task.sql; do
  script=${scenario%%:*}; pgscript=${scenario#*:}
  # warm-up of both instances (the JIT), on tasks of their own
  wrk_run "$APP_PORT" "$script" 8 "$(threads_for "$script" 8)" 99001 >/dev/null || true
  wrk_run "$second_port" "$script" 8 "$(threads_for "$script" 8)" 99101 >/dev/null || true
  one=$(wrk_run "$APP_PORT" "$script" "$total" "$(threads_for "$script" "$total")" "$patch_id")
  patch_id=$((patch_id + total))
  wrk_run "$APP_PORT" "$script" "$half" "$(threads_for "$script" "$half")" "$patch_id" > "$BENCH_DIR/a.out" & a=$!
  wrk_run "$second_port" "$script" "$half" "$(threads_for "$script" "$half")" "$((patch_id + half))" > "$BENCH_DIR/b.out" & b=$!
  wait "$a" "$b"
  patch_id=$((patch_id + total))
  ra=$(cat "$BENCH_DIR/a.out"); rb=$(cat "$BENCH_DIR/b.out")
  two=$(awk -v a="$(field "$ra" rps)" -v b="$(field "$rb" rps)" 'BEGIN {printf "%.0f", a + b}')
  two_p99=$(awk -v a="$(field "$ra" p99_ms)" -v b="$(field "$rb" p99_ms)" 'BEGIN {print (a > b ? a : b)}')
  tps=$(pgbench_tps "$pgscript")
  rps=$(field "$one" rps)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$script" "$rps" "$(field "$one" p99_ms)" "$two" "$two_p99" \
    "$(awk -v a="$two" -v b="$rps" 'BEGIN {printf "%.2f", a / b}')" "$tps" \
    "$(awk -v a="$rps" -v b="$tps" 'BEGIN {printf "%.0f%%", 100 * a / b}')" \
    "$(awk -v a="$two" -v b="$tps" 'BEGIN {printf "%.0f%%", 100 * a / b}')" >> "$out"
  echo "errors (1 instance / 2 instances): $(field "$one" errors) / $(field "$ra" errors)+$(field "$rb" errors)" >> "$BENCH_DIR/errors.txt"
done
{
  echo
  cat "$BENCH_DIR/errors.txt"
  echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$out"
results/index.sh
cat "$out"
