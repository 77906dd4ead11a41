#!/usr/bin/env bash
# Soak scenario (long-running, not in CI): two instances of the packaged service (prod mode) on one throwaway
# PostgreSQL (durable), mixed agent traffic from bench/Soak.java for DURATION seconds, and faults: every KILL_EVERY
# seconds one instance (from VICTIMS, in turn) is killed with SIGKILL, or stopped with SIGTERM (the 2nd, 5th, 8th...
# fault), and started again DOWN_FOR seconds later. RSS of both instances is sampled every RSS_EVERY seconds.
# At the end: requests by status class, errors (expected while an instance was down vs unexpected), RSS growth,
# every acknowledged write checked in the database, and each subscriber's event ids against the events table.
# Writes bench/results/soak-<timestamp>.md and updates the index bench/results/README.md. Loopback only, free ports; stops everything at exit.
#
#   bench/soak.sh                                        # 30 minutes, a fault every 5 minutes
#   DURATION=150 KILL_EVERY=30 DOWN_FOR=3 bench/soak.sh  # a short trial
#   VICTIMS="A B" bench/soak.sh                          # kill both in turn (default B only: A lives the whole
#                                                        # run, so its RSS shows growth over the full duration)
# Run it niced on a shared machine (nice -n 19 bench/soak.sh): everything it starts inherits the niceness.
set -euo pipefail
cd "$(dirname "$0")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)} BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh

seconds=${DURATION:-1800}
kill_every=${KILL_EVERY:-300}
down_for=${DOWN_FOR:-5}
rss_every=${RSS_EVERY:-30}
workers=${WORKERS:-6}
subscribers=${SUBSCRIBERS:-4}
create_rate=${CREATE_RATE:-3}
read -r -a victims <<< "${VICTIMS:-B}"
ports=("$APP_PORT" "$(free_port)")
names=(A B)
pids=("" "")
sampler=
client=

soak_cleanup() {
  [ -n "$client" ] && kill "$client" 2>/dev/null || true
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  for i in 0 1; do
    [ -n "${pids[$i]}" ] && kill -9 "${pids[$i]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  bench_cleanup
}
trap soak_cleanup EXIT

# Guard rails stay on, with budgets above the offered load; short leases so that claims lost in a crash come back
# within the run (the scheduler requeues them), and a short scheduler interval so that leadership matters.
instance_opts=(-Dolympus.rate-limit.worker.quota=3000 -Dolympus.rate-limit.orchestrator.quota=3000
  -Dolympus.rate-limit.observer.quota=3000 -Dolympus.tasks.create-budget-per-minute=1000
  -Dolympus.tasks.max-open-per-creator=100000 -Dolympus.lease.duration=60s -Dolympus.lease.requeue-after=30s
  -Dolympus.scheduler.interval=5s)
now_ms() { date +%s%3N; }
start_instance() { # index
  bench_launch_app "${ports[$1]}" "$BENCH_DIR/app-${names[$1]}.log" "${instance_opts[@]}"
  pids[$1]=$LAUNCHED_PID
  echo "$LAUNCHED_PID" > "$BENCH_DIR/pid-$1"
  bench_wait_ready "${ports[$1]}" "$LAUNCHED_PID" "$BENCH_DIR/app-${names[$1]}.log" 1800
  echo "$(now_ms) $1 ready" >> "$BENCH_DIR/faults"
}

echo "building and starting (database in $BENCH_DIR, instances on :${ports[0]} and :${ports[1]})..."
bench_build
bench_start_db
: > "$BENCH_DIR/faults"
# B first: it takes the scheduler leadership, so the first kill of B moves it to A.
start_instance 1
start_instance 0

rss_mb() { # a process that is gone (or a zombie, which has no VmRSS) is "down"
  local mb
  mb=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || true)
  echo "${mb:-down}"
}
run_start=$(date +%s)
(
  while :; do
    line="$(( $(date +%s) - run_start ))"
    for i in 0 1; do
      pid=$(cat "$BENCH_DIR/pid-$i")
      line="$line $pid $(rss_mb "$pid")"
    done
    echo "$line" >> "$BENCH_DIR/rss"
    sleep "$rss_every"
  done
) &
sampler=$!

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$BENCH_DIR/client"
"$JAVA_HOME/bin/java" -Xmx512m Soak.java --urls "http://127.0.0.1:${ports[0]},http://127.0.0.1:${ports[1]}" \
  --key "$ADMIN_KEY" --seconds "$seconds" --workers "$workers" --subscribers "$subscribers" \
  --create-rate "$create_rate" --out "$BENCH_DIR/client" --faults "$BENCH_DIR/faults" \
  > "$BENCH_DIR/client.out" 2> >(tee "$BENCH_DIR/client.err" >&2) &
client=$!

# Faults, until less than a fault interval (or 30 s) is left: both instances are up when the load stops.
end=$(( run_start + seconds ))
fault_rows=()
k=0
while :; do
  left=$(( end - $(date +%s) ))
  [ "$left" -gt $(( kill_every + down_for + 30 )) ] || break
  sleep "$kill_every"
  kill -0 "$client" 2>/dev/null || break
  victim=${victims[$(( k % ${#victims[@]} ))]}
  i=$([ "$victim" = A ] && echo 0 || echo 1)
  k=$(( k + 1 ))
  if [ $(( k % 3 )) -eq 2 ]; then action=term; signal=TERM; else action=kill9; signal=KILL; fi
  at=$(( $(date +%s) - run_start ))
  echo "$(now_ms) $i $action" >> "$BENCH_DIR/faults"
  signalled=$(now_ms)
  kill -s "$signal" "${pids[$i]}"
  wait "${pids[$i]}" 2>/dev/null || true
  stopped=$(( $(now_ms) - signalled ))
  echo "  ${at}s: $action ${names[$i]} (gone after $stopped ms), restarting in $down_for s"
  sleep "$down_for"
  restart=$(now_ms)
  start_instance "$i"
  fault_rows+=("| $at | $([ "$action" = term ] && echo SIGTERM || echo 'SIGKILL (kill -9)') | ${names[$i]} | $stopped ms | $(( $(now_ms) - restart )) ms |")
done
status=0
wait "$client" || status=$?
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The database's view -------------------------------------------------------------------------------------
read -r first_head last_head < "$BENCH_DIR/client/range.txt"
psql_olympus -c "SELECT position FROM events WHERE position > $first_head AND position <= $last_head ORDER BY position" > "$BENCH_DIR/expected.ids"
expected_count=$(wc -l < "$BENCH_DIR/expected.ids")
completeness=()
all_complete=yes
for f in "$BENCH_DIR"/client/sub-*.ids; do
  n=$(basename "$f" .ids); n=${n#sub-}
  received=$(wc -l < "$f")
  dups=$(sort -n "$f" | uniq -d | wc -l)
  sort -n -u "$f" > "$f.sorted"
  missing=$(comm -13 "$f.sorted" "$BENCH_DIR/expected.ids" | wc -l)
  extra=$(comm -23 "$f.sorted" "$BENCH_DIR/expected.ids" | wc -l)
  # Order of receipt: every id greater than the one before it.
  disorder=$(awk 'NR > 1 && $1 <= prev {c++} {prev = $1} END {print c + 0}' "$f")
  [ "$missing$extra$dups$disorder" = 0000 ] || all_complete=no
  completeness+=("| $n | $received | $expected_count | $missing | $dups | $disorder | $extra |")
done

acked_check=$( { echo "CREATE TEMP TABLE acked (kind text, id bigint, status text);"
  echo "COPY acked FROM STDIN WITH (DELIMITER ' ');"
  cat "$BENCH_DIR/client/acked.tsv"
  echo '\.'
  echo "SELECT (SELECT count(*) FROM acked WHERE kind = 'task'),
               (SELECT count(*) FROM acked a LEFT JOIN tasks t ON t.id = a.id WHERE a.kind = 'task' AND t.id IS NULL),
               (SELECT count(*) FROM acked a JOIN tasks t ON t.id = a.id WHERE a.kind = 'task' AND a.status <> '*' AND t.status <> a.status),
               (SELECT count(*) FROM acked WHERE kind = 'comment'),
               (SELECT count(*) FROM acked a LEFT JOIN comments c ON c.id = a.id WHERE a.kind = 'comment' AND c.id IS NULL);"
} | psql_olympus | tail -1)
IFS='|' read -r acked_tasks tasks_missing tasks_wrong acked_comments comments_missing <<< "$acked_check"
task_states=$(psql_olympus -c "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM
  (SELECT status, count(*) n FROM tasks WHERE 'soak' = ANY(labels) GROUP BY status) s")
requeued=$(psql_olympus -c "SELECT count(*) FROM events WHERE position > $first_head AND actor = 'system'
  AND type = 'task.status_changed' AND data->>'to' = 'todo'")
leaders=""
for i in 0 1; do
  l=$(curl -fs "http://127.0.0.1:${ports[$i]}/q/metrics" | awk '/^olympus_scheduler_leader/ {print $2}' | head -1)
  leaders="$leaders ${names[$i]}=${l:-?}"
done
log_errors() { grep -c ' ERROR ' "$1" 2>/dev/null || true; }
log_samples() { grep ' ERROR ' "$1" 2>/dev/null | sed -E 's/^[0-9-]+ [0-9:,]+ //' | cut -c1-160 | sort | uniq -c | sort -rn | head -5 || true; }

# --- Report ---------------------------------------------------------------------------------------------------
out=results/soak-$stamp.md
{
  if [ "$seconds" -lt 1800 ]; then
    echo "# Olympus soak, $stamp: SHORT TRIAL ($seconds s, not the 30-minute soak)"
    echo
    echo "This run proves that the scenario works end to end; its numbers are too short to say anything about memory growth."
  else
    echo "# Olympus soak, $stamp ($seconds s)"
  fi
  echo
  machine_description | grep -v wrk
  echo "- build: $(git -C "$BENCH_ROOT" log -1 --format='%h %s' 2>/dev/null || echo "$BENCH_ROOT")"
  echo "- load average (1/5/15 min) before / after: $load_before / $load_after (other work on the machine competes for the 2 cores)"
  echo "- two instances (A :${ports[0]}, B :${ports[1]}) of the packaged jar, prod profile, ${BENCH_JAVA_OPTS:--Xmx1g}, on one durable PostgreSQL"
  echo "- instance settings: ${instance_opts[*]}"
  echo "- faults: every $kill_every s one of [${victims[*]}] in turn (SIGKILL, SIGTERM, SIGKILL, SIGKILL, SIGTERM, ...), restarted $down_for s later"
  echo "- command: \`DURATION=$seconds KILL_EVERY=$kill_every DOWN_FOR=$down_for VICTIMS=\"${victims[*]}\" WORKERS=$workers SUBSCRIBERS=$subscribers CREATE_RATE=$create_rate bench/soak.sh\`"
  echo
  echo "## Verdict"
  echo
  echo "| check | result |"
  echo "|---|---|"
  echo "| acknowledged task writes (201 create, 200 done/failed) missing or in another status in the database | **$tasks_missing missing, $tasks_wrong in another status** of $acked_tasks |"
  echo "| acknowledged comments (201) missing | **$comments_missing** of $acked_comments |"
  echo "| every subscriber received every event of the run exactly once, in order (after reconnecting with ?after=) | **$all_complete** ($expected_count events) |"
  read -r unexpected_5xx unexpected_io < "$BENCH_DIR/client/unexpected.txt"
  echo "| unexpected 5xx / I/O errors (outside an instance's down time) | **$unexpected_5xx / $unexpected_io** (details under \"Errors\") |"
  echo "| load client exit status | $status |"
  echo
  echo "## Faults"
  echo
  echo "| t (s) | fault | instance | process gone after | ready again after restart |"
  echo "|---|---|---|---|---|"
  [ ${#fault_rows[@]} -eq 0 ] || printf '%s\n' "${fault_rows[@]}"
  echo
  echo "Scheduler leader at the end (olympus_scheduler_leader):$leaders. Tasks requeued by the scheduler (expired leases: claims whose answer was lost in a crash): $requeued."
  echo
  sed -n '/^## Traffic/,$p' "$BENCH_DIR/client/client.md" | sed '/^## Event stream/,$d'
  echo "## Event stream against the events table"
  echo
  echo "Each subscriber (an observer: sees every event) started at the head before the load and resumed with ?after=<last id"
  echo "received> after every disconnect; compared with \`SELECT position FROM events\` over the same range ($((first_head + 1)) to $last_head)."
  echo
  echo "| subscriber | received | in the table | missing | duplicates | out of order | not in the table |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${completeness[@]}"
  echo
  sed -n '/^## Event stream/,$p' "$BENCH_DIR/client/client.md" | tail -n +2
  echo
  echo "Soak tasks at the end, by status: ${task_states:-none}."
  echo
  echo "## Memory (RSS, sampled every $rss_every s)"
  echo
  echo "| t (s) | A pid | A RSS MB | B pid | B RSS MB |"
  echo "|---|---|---|---|---|"
  awk '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}' "$BENCH_DIR/rss"
  echo
  echo "Growth per process (first to last sample of the same pid):"
  echo
  awk '{ for (c = 0; c < 2; c++) { pid = $(2 + 2 * c); rss = $(3 + 2 * c); if (rss == "down") continue;
           key = (c == 0 ? "A" : "B") " pid " pid; if (!(key in first)) { first[key] = rss; t0[key] = $1; order[++n] = key }
           last[key] = rss; t1[key] = $1 } }
       END { for (i = 1; i <= n; i++) { k = order[i];
               printf "- %s: %s MB -> %s MB (%+d MB over %d s)\n", k, first[k], last[k], last[k] - first[k], t1[k] - t0[k] } }' "$BENCH_DIR/rss"
  echo
  echo "## Service logs"
  echo
  for i in 0 1; do
    echo "- ${names[$i]}: $(log_errors "$BENCH_DIR/app-${names[$i]}.log") ERROR lines"
    log_samples "$BENCH_DIR/app-${names[$i]}.log" | sed 's/^/    /'
  done
} > "$out"
results/index.sh
cat "$out"
echo "result: bench/$out"
exit $status
