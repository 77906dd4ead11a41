#!/usr/bin/env bash
# Claim benchmark: a throwaway PostgreSQL and the packaged service (prod mode) on free loopback ports, TASKS ready
# tasks seeded in SQL, CLAIMERS claimers (one worker agent and one connection each) for DURATION seconds
# (bench/Claim.java, JDK only), a Markdown result in bench/results/claim-<timestamp>.md. Stops everything at exit.
#
#   bench/claim.sh                                   # 32 claimers, 20 s, 80,000 tasks, durable PostgreSQL
#   SYNC_COMMIT=off bench/claim.sh                   # commits do not wait for the WAL flush (see the notes)
#   CLAIMERS=32 DURATION=20 TASKS=80000 bench/claim.sh
#   WARMUP=15 bench/claim.sh                         # seconds of unmeasured claims first (default 10: the JIT)
set -euo pipefail
cd "$(dirname "$0")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)} BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
. ./lib.sh
trap bench_cleanup EXIT

claimers=${CLAIMERS:-32}
seconds=${DURATION:-20}
tasks=${TASKS:-80000}
sync_commit=${SYNC_COMMIT:-on}

echo "building and starting (database in $BENCH_DIR, synchronous_commit=$sync_commit)..."
bench_build
bench_start_db
if [ "$sync_commit" != on ]; then
  psql_bench -c "ALTER SYSTEM SET synchronous_commit = '$sync_commit'" -c "SELECT pg_reload_conf()" >/dev/null
fi
# Guard rails stay on, with budgets far above the offered load.
bench_start_app -Dolympus.rate-limit.worker.quota=100000000 -Dolympus.rate-limit.operator.quota=100000000

echo "seeding $tasks ready tasks..."
psql_olympus <<SQL
INSERT INTO tasks (title, labels, created_by, priority)
SELECT 'bench task ' || g, ARRAY['bench'], 'admin', (ARRAY['critical','high','medium','low'])[1 + g % 4]
FROM generate_series(1, $tasks) g;
VACUUM ANALYZE tasks;
SQL

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/claim-$stamp.md
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "running $claimers claimers for $seconds s..."
status=0
"$JAVA_HOME/bin/java" -Xmx512m Claim.java --url "http://127.0.0.1:$APP_PORT" --key "$ADMIN_KEY" --label bench \
  --claimers "$claimers" --seconds "$seconds" --warmup "${WARMUP:-10}" --out "$out" || status=$?

# The database's own view, as a cross-check of the client's: every claim started exactly one task.
in_progress=$(psql_olympus -c "SELECT count(*) FROM tasks WHERE status = 'in_progress' AND 'bench' = ANY(labels)")
started_twice=$(psql_olympus -c "SELECT count(*) FROM (SELECT task_id FROM events WHERE type = 'task.status_changed'
  AND data->>'to' = 'in_progress' GROUP BY task_id HAVING count(*) > 1) d")
# PostgreSQL's own limit for the same work: pgbench runs the claim transaction (bench/pgbench/claim.sql: BEGIN, the
# kill fence, the claim statement, the append of its two events, COMMIT) as the same workers, over the same number of
# fresh tasks, with the event sequencer beside it.
first_agent=$(psql_olympus -c "SELECT min(id) FROM agents WHERE role = 'worker'")
last_agent=$(psql_olympus -c "SELECT max(id) FROM agents WHERE role = 'worker'")
psql_olympus -c "UPDATE tasks SET status = 'todo', assignee = NULL, started_at = NULL, lease_expires_at = NULL WHERE 'bench' = ANY(labels)" \
  -c "VACUUM ANALYZE tasks" >/dev/null
sed -e "s/random(2, 33)/random($first_agent, $last_agent)/" pgbench/claim.sql > "$BENCH_DIR/claim.sql"
chmod 644 "$BENCH_DIR/claim.sql"
bench_sequencer "$seconds" & sequencer_pid=$!
pgbench_claims=$( (as_postgres "$PG_BIN/pgbench" -h "$BENCH_DIR" -p "$DB_PORT" -U olympus -n -M prepared -c "$claimers" \
  -j 2 -T "$seconds" -f "$BENCH_DIR/claim.sql" olympus 2>/dev/null || true) | awk '/^tps/ {print int($3); exit}')
wait "$sequencer_pid"
{
  echo
  echo "## PostgreSQL alone"
  echo
  echo "pgbench running the same claim transaction (\`bench/pgbench/claim.sql\`) with $claimers clients for $seconds s:"
  echo "**${pgbench_claims:-?} claims/s** (one statement at a time, five round trips; the service sends BEGIN, the fence and the claim together, then the append with COMMIT)."
  echo
  echo "## Setup"
  echo
  machine_description | grep -v wrk
  echo "- PostgreSQL synchronous_commit=$sync_commit (lib.sh: shared_buffers=512MB, fsync on); service ${BENCH_JAVA_OPTS:--Xmx1g} (reactive pool olympus.db.pool-size, 20 unless set there)"
  echo "- $tasks unassigned ready tasks labelled \`bench\` (priorities mixed); claimers are workers without capabilities"
  echo "- load average (1/5/15 min) before the run: $load_before (other work on the machine competes for the 2 cores)"
  echo "- database cross-check after the run: $in_progress tasks in progress (= warm-up + measured claims),"\
       "$started_twice tasks started more than once according to the event log (must be 0)"
  echo "- command: \`SYNC_COMMIT=$sync_commit CLAIMERS=$claimers DURATION=$seconds TASKS=$tasks WARMUP=${WARMUP:-10} bench/claim.sh\`"
} | tee -a "$out"
results/index.sh
echo "result: bench/$out"
exit $status
