# Shared helpers for the benchmark scripts: a throwaway PostgreSQL and the packaged service in production mode.
# Source it: . "$(dirname "$0")/lib.sh". Everything listens on loopback only and is stopped by bench_cleanup.

# BENCH_ROOT: the project whose packaged jar runs (default: this one), e.g. a checkout of an older commit to compare.
BENCH_ROOT=${BENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export JAVA_HOME=${OLYMPUS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/olympus-bench-XXXXXX)}
DB_PORT=${BENCH_DB_PORT:-56432}
APP_PORT=${BENCH_APP_PORT:-18080}
ADMIN_KEY=olk_bench-admin-key-0123456789abcdefghijklmnop
APP_PID=

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A PostgreSQL tuned like a small production server: durable (fsync on), sized for 2 cores. BENCH_PG_OPTS adds
# server options (e.g. "-c shared_preload_libraries=pg_stat_statements").
bench_start_db() {
  [ -n "$PG_BIN" ] || { echo "PostgreSQL server binaries missing: apt-get install -y postgresql" >&2; exit 1; }
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$BENCH_DIR"
  as_postgres "$PG_BIN/initdb" -D "$BENCH_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_DIR/data" -l "$BENCH_DIR/postgres.log" -w \
    -o "-p $DB_PORT -k $BENCH_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB ${BENCH_PG_OPTS:-}" start >/dev/null
  psql_bench -c "CREATE USER olympus WITH PASSWORD 'olympus'" -c "CREATE DATABASE olympus OWNER olympus" >/dev/null
}

psql_bench() { as_postgres "$PG_BIN/psql" -h "$BENCH_DIR" -p "$DB_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_olympus() { as_postgres "$PG_BIN/psql" -h "$BENCH_DIR" -p "$DB_PORT" -U olympus -d olympus -v ON_ERROR_STOP=1 -qtA "$@"; }

bench_build() {
  if [ ! -f "$BENCH_ROOT/target/quarkus-app/quarkus-run.jar" ] || [ -n "$(find "$BENCH_ROOT/src" "$BENCH_ROOT/pom.xml" -newer "$BENCH_ROOT/target/quarkus-app/quarkus-run.jar" -print -quit)" ]; then
    (cd "$BENCH_ROOT" && ./mvnw -B -q package -DskipTests)
  fi
}

# Starts the packaged service (prod profile) and waits for readiness. Extra -D options as arguments.
bench_start_app() {
  bench_launch_app "$APP_PORT" "$BENCH_DIR/app.log" "$@"
  APP_PID=$LAUNCHED_PID
  bench_wait_ready "$APP_PORT" "$APP_PID" "$BENCH_DIR/app.log" 600 || exit 1
}

# Starts an instance of the packaged service on PORT in the background, output appended to LOG; sets LAUNCHED_PID.
# (bench_start_app for the usual single instance; bench/soak.sh runs two on one database.)
bench_launch_app() { # port log [extra -D options]
  local port=$1 log=$2
  shift 2
  OLYMPUS_DB_HOST=127.0.0.1 OLYMPUS_DB_PORT=$DB_PORT OLYMPUS_BOOTSTRAP_KEY=$ADMIN_KEY QUARKUS_HTTP_PORT=$port \
    "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx1g} "$@" -jar "$BENCH_ROOT/target/quarkus-app/quarkus-run.jar" \
    >> "$log" 2>&1 &
  LAUNCHED_PID=$!
}

# Waits until the instance on PORT answers ready; fails (showing its log) if PID exits or after TRIES x 0.1 s.
bench_wait_ready() { # port pid log tries
  for _ in $(seq 1 "$4"); do
    curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -50 "$3" >&2; return 1; }
    sleep 0.1
  done
  echo "service on :$1 not ready" >&2; return 1
}

# (`wait` answers the app's exit status, 143 after SIGTERM: never let that end a `set -e` script.)
bench_stop_app() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  APP_PID=
}

bench_cleanup() {
  bench_stop_app || true
  [ -d "$BENCH_DIR/data" ] && as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$BENCH_DIR"
}

# bench/run's guard rails stay on, with budgets far above the offered load so that they cost what they cost without
# refusing. Creations are spread over 32 orchestrators (one orchestrator's creations are serialised by design) and
# the budget counts a 1 s window, so the checks cost what they cost at a realistic size, not a scan of the run.
BENCH_RUN_LIMITS=(-Dolympus.tasks.create-budget-per-minute=100000000 -Dolympus.tasks.create-budget-window=1s
  -Dolympus.tasks.max-open-per-creator=100000000
  -Dolympus.rate-limit.operator.quota=100000000 -Dolympus.rate-limit.orchestrator.quota=100000000
  -Dolympus.rate-limit.operator.window=60s -Dolympus.rate-limit.orchestrator.window=60s)

# The data set of bench/run: 50 workers, 32 orchestrators (their keys, comma-separated, in
# BENCH_SEEDED_CREATOR_KEYS) and 100,000 tasks spread over them, inserted in SQL.
bench_seed() {
  local i key
  for i in $(seq 1 50); do
    api -X POST "http://127.0.0.1:$APP_PORT/api/v1/agents" -d "{\"name\":\"bench-worker-$i\",\"role\":\"worker\"}" >/dev/null
  done
  BENCH_SEEDED_CREATOR_KEYS=
  for i in $(seq 1 32); do
    key=$(api -X POST "http://127.0.0.1:$APP_PORT/api/v1/agents" -d "{\"name\":\"bench-planner-$i\",\"role\":\"orchestrator\"}" \
      | sed -E 's/.*"apiKey":"([^"]+)".*/\1/')
    BENCH_SEEDED_CREATOR_KEYS=$BENCH_SEEDED_CREATOR_KEYS${BENCH_SEEDED_CREATOR_KEYS:+,}$key
  done
  psql_olympus <<'SQL'
INSERT INTO tasks (title, description, priority, assignee, created_by, labels)
SELECT 'seeded task ' || g, 'description of task ' || g,
       (ARRAY['critical','high','medium','low'])[1 + g % 4],
       'bench-worker-' || (1 + g % 50), 'bench-planner-' || (1 + g % 32), ARRAY['seed', 'l' || (g % 20)]
FROM generate_series(1, 100000) AS g;
VACUUM ANALYZE tasks, agents; -- as autovacuum would have by now: index-only scans, no dead rows
SQL
}

api() { curl -fsS -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' "$@"; }

machine_description() {
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "- $(java_version), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "- load generator, service and database share the same cores"
}
java_version() { "$JAVA_HOME/bin/java" -version 2>&1 | head -1; }

# The post-commit event sequencer beside a pgbench run whose script appends events (the service runs it after its
# commits): one more connection running bench/pgbench/sequencer.sql for SECONDS. Run it in the background.
bench_sequencer() { # seconds
  as_postgres "$PG_BIN/pgbench" -h "$BENCH_DIR" -p "$DB_PORT" -U olympus -n -c 1 -T "$1" \
    -f "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pgbench/sequencer.sql" olympus >/dev/null 2>&1 || true
}
