#!/bin/bash
# AOT training run for docker/Dockerfile.jvm (stage "train"); runs as root in a throwaway stage
# that is based on the runtime JRE image, so the cache matches the JVM that will use it.
#
#  1. starts a scratch PostgreSQL on 127.0.0.1 (as user 'postgres': PostgreSQL refuses root);
#  2. starts Olympus through the image's entrypoint with -XX:AOTCacheOutput=app.aot;
#  3. waits until /q/health/ready answers and sends some representative requests;
#  4. stops Olympus with SIGTERM, after which the JVM writes /deployments/app.aot, then stops
#     PostgreSQL.
# The scratch database, the throwaway admin key and the JWT key pair Olympus generates in it are
# discarded with this stage; only app.aot is copied into the final image.
#
# Request failures are logged but do not fail the build (the API grows over time); a missing
# app.aot or an Olympus that never becomes ready does.
set -euo pipefail

export APP_DIR=${APP_DIR:-/deployments}
ENTRYPOINT=${OLYMPUS_ENTRYPOINT:-/usr/local/bin/olympus}
PG_PORT=55432
HTTP_PORT=18080
BASE="http://127.0.0.1:${HTTP_PORT}"
WORK=$(mktemp -d /tmp/aot-train.XXXXXX)
PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin | sort -V | tail -n 1)
APP_PID=""

log() { echo "aot-train: $*" >&2; }

cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID" || true; fi
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. scratch PostgreSQL (durability switched off: this database lives for a minute) ---------
chown postgres:postgres "$WORK"
chmod 700 "$WORK"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w \
  -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
runuser -u postgres -- "$PG_BIN/psql" -h "$WORK" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE USER olympus WITH PASSWORD 'training';" \
  -c "CREATE DATABASE olympus OWNER olympus;"
log "scratch PostgreSQL ready on port $PG_PORT"

# --- 2. Olympus in AOT recording mode -----------------------------------------------------------
ADMIN_KEY="olk_training_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export OLYMPUS_DB_HOST=127.0.0.1 OLYMPUS_DB_PORT=$PG_PORT OLYMPUS_DB_NAME=olympus \
       OLYMPUS_DB_USER=olympus OLYMPUS_DB_PASSWORD=training OLYMPUS_BOOTSTRAP_KEY=$ADMIN_KEY \
       QUARKUS_HTTP_PORT=$HTTP_PORT
# -Xmx1g: a builder with a huge memory would otherwise size a heap without compressed oops, and a
# cache recorded like that is refused by a production JVM that uses them.
export JAVA_OPTS_APPEND="-Xmx1g -XX:AOTCacheOutput=app.aot"
rm -f "$APP_DIR/app.aot"
"$ENTRYPOINT" >"$WORK/olympus.log" 2>&1 &
APP_PID=$!

ready=""
for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null "$BASE/q/health/ready" 2>/dev/null; then ready=yes; break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$ready" ]; then
  log "Olympus did not become ready; its log follows"
  cat "$WORK/olympus.log" >&2
  exit 1
fi
log "Olympus ready; sending training requests"

# --- 3. training traffic ------------------------------------------------------------------------
# call METHOD PATH [JSON-BODY] [CONTENT-TYPE]: prints the response body; logs the status.
call() {
  local method=$1 path=$2 body=${3:-} ctype=${4:-application/json} out code
  out="$WORK/response"
  if [ -n "$body" ]; then
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $ADMIN_KEY" \
      -H "Content-Type: $ctype" --data "$body" "$BASE$path" 2>/dev/null) || code=000
  else
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $ADMIN_KEY" \
      "$BASE$path" 2>/dev/null) || code=000
  fi
  log "$code $method $path"
  cat "$out" 2>/dev/null || true
}
# First "id" of a JSON body: the task's own id in a task representation.
first_id() { grep -o '"id": *[0-9][0-9]*' | head -n 1 | tr -dc '0-9'; }

for round in 1 2 3; do
  for p in /q/health/live /q/health/ready /q/health/started /q/metrics /q/openapi; do
    curl -sS -o /dev/null "$BASE$p" 2>/dev/null || true
  done
  curl -sS -o /dev/null "$BASE/api/v1/tasks" 2>/dev/null || true          # 401 path
  call POST /api/v1/auth/token '{}' >/dev/null
  call GET /api/v1/system >/dev/null
  call GET /api/v1/agents >/dev/null
  call GET /api/v1/agents/admin >/dev/null
  call POST /api/v1/agents "{\"name\":\"training-worker-$round\",\"role\":\"worker\",\"capabilities\":[\"build\"]}" >/dev/null
  call POST /api/v1/agents/me/heartbeat '{"status":"idle"}' >/dev/null
  id=$(call POST /api/v1/tasks "{\"title\":\"Training task $round\",\"priority\":\"high\",\"labels\":[\"build\"]}" | first_id || true)
  call POST /api/v1/tasks '{"title":' >/dev/null                          # 400 path (malformed JSON)
  call GET "/api/v1/tasks?limit=10" >/dev/null
  call GET "/api/v1/tasks?status=todo,in_progress&priority=high&ready=true" >/dev/null
  if [ -n "${id:-}" ]; then
    call GET "/api/v1/tasks/$id" >/dev/null
    call PATCH "/api/v1/tasks/$id" '{"priority":"low"}' application/merge-patch+json >/dev/null
    call POST "/api/v1/tasks/$id/comments" '{"body":"Training comment"}' >/dev/null
    call GET "/api/v1/tasks/$id/comments" >/dev/null
    call GET "/api/v1/tasks/$id/history" >/dev/null
  fi
  call GET "/api/v1/events?after=0&limit=50" >/dev/null
  call GET "/api/v1/metrics/velocity?bucket=hour" >/dev/null
done

# --- 4. stop; the JVM writes the cache on its way out --------------------------------------------
log "stopping Olympus; the JVM now writes app.aot"
kill -TERM "$APP_PID"
wait "$APP_PID" || true      # exit status 143 after SIGTERM is expected
APP_PID=""
if [ ! -s "$APP_DIR/app.aot" ]; then
  log "no app.aot was written; Olympus log follows"
  cat "$WORK/olympus.log" >&2
  exit 1
fi
log "wrote $APP_DIR/app.aot ($(du -h "$APP_DIR/app.aot" | cut -f1))"
