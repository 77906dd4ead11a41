#!/usr/bin/env bash
# Claim benchmark: a throwaway PostgreSQL and the packaged Olympus (prod mode) on free loopback ports, TASKS ready
# tasks seeded in SQL, CLAIMERS claimers for DURATION seconds (bench/Claim.java), a Markdown result in
# bench/results/. Everything it starts is stopped at exit.
#
#   bench/claim.sh                      # 32 claimers, 20 s, 80000 tasks
#   CLAIMERS=32 DURATION=20 TASKS=80000 SYNC_COMMIT=on bench/claim.sh
#   APP_OPTS='-Dolympus.some.key=value' bench/claim.sh   # extra JVM options for Olympus (e.g. generous rate limits)
#
# SYNC_COMMIT (default off, like the test database): PostgreSQL's synchronous_commit. With "on", every commit waits
# for its WAL flush, and since event-writing transactions commit one after the other (EventLog's lock), the claim
# rate is capped by the disk's flush rate; see the result's notes.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${OLYMPUS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
claimers=${CLAIMERS:-32}
seconds=${DURATION:-20}
tasks=${TASKS:-80000}
sync_commit=${SYNC_COMMIT:-off}
pool=${POOL_SIZE:-20}
admin_key=olk_bench-claim-admin-0123456789abcdefghijkl

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pg_bin" ] || { echo "PostgreSQL server binaries are missing (apt-get install -y postgresql)" >&2; exit 1; }
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "Packaging Olympus..."
  ./mvnw -B -q package -DskipTests
fi

work=$(mktemp -d /tmp/olympus-bench-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work"
db_port=$(free_port)
http_port=$(free_port)
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  as_postgres "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "PostgreSQL on 127.0.0.1:$db_port (synchronous_commit=$sync_commit)"
as_postgres "$pg_bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w \
  -o "-p $db_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200 -c synchronous_commit=$sync_commit -c shared_buffers=256MB" \
  start >/dev/null
psql() { as_postgres "$pg_bin/psql" -h "$work" -p "$db_port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql -c "CREATE USER olympus WITH PASSWORD 'olympus'" -c "CREATE DATABASE olympus OWNER olympus"

echo "Olympus on 127.0.0.1:$http_port (pool $pool)"
OLYMPUS_DB_HOST=127.0.0.1 OLYMPUS_DB_PORT=$db_port OLYMPUS_DB_POOL_SIZE=$pool OLYMPUS_BOOTSTRAP_KEY=$admin_key \
QUARKUS_HTTP_PORT=$http_port QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_LOG_LEVEL=WARN \
  "$JAVA_HOME/bin/java" -Xmx1g ${APP_OPTS:-} -jar "$jar" > "$work/olympus.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/olympus.log"; exit 1; }
  sleep 0.5
done

echo "Seeding $tasks ready tasks"
psql -d olympus -c "INSERT INTO tasks (title, labels, created_by, priority)
  SELECT 'bench task ' || g, ARRAY['bench'], 'admin', (ARRAY['critical','high','medium','low'])[1 + g % 4]
  FROM generate_series(1, $tasks) g" -c "VACUUM ANALYZE tasks"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/claim-$stamp.md
echo "Running $claimers claimers for $seconds s"
status=0
"$JAVA_HOME/bin/java" -Xmx512m bench/Claim.java --url "http://127.0.0.1:$http_port" --key "$admin_key" --label bench \
  --claimers "$claimers" --seconds "$seconds" --warmup 3 --out "$out" || status=$?

# The database's own count, as a cross-check of the client's (claimed = in_progress with the label).
in_progress=$(psql -d olympus -c "SELECT count(*) FROM tasks WHERE status = 'in_progress' AND 'bench' = ANY(labels)")
doubly_held=$(psql -d olympus -c "SELECT count(*) FROM (SELECT task_id FROM events WHERE type = 'task.status_changed'
  AND data->>'to' = 'in_progress' GROUP BY task_id HAVING count(*) > 1) d")
{
  echo
  echo "## Setup"
  echo
  echo "- PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), synchronous_commit=$sync_commit, shared_buffers=256MB;"\
       "Olympus prod mode, -Xmx1g, reactive pool $pool; client \`java bench/Claim.java\` on the same machine."
  echo "- Seeded tasks: $tasks (unassigned, label \`bench\`, priorities mixed); load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "- Database cross-check after the run: $in_progress tasks in progress (warm-up + measured claims);"\
       "$doubly_held tasks started twice according to the event log (must be 0)."
  echo "- Command: \`CLAIMERS=$claimers DURATION=$seconds TASKS=$tasks SYNC_COMMIT=$sync_commit bench/claim.sh\`"
} >> "$out"
echo "Result: $out"
exit $status
