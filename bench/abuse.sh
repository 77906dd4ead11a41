#!/usr/bin/env bash
# Abuse benchmark: do requests with invalid credentials slow valid agents down, and are oversized requests refused
# early? A throwaway PostgreSQL (durable, with pg_stat_statements) and the packaged service (prod mode) on free
# loopback ports; WORKERS worker agents read tasks by id (wrk, 8 connections, each request with one of their keys)
#   1. alone,
#   2. while an attacker (a second wrk, ATTACK_CONNECTIONS connections) sends garbage credentials, paced (each
#      connection waits PACED_DELAY_MS after every answer: about 1,000 requests/s),
#   3. the same with well-formed but unknown API keys, a different one for every request,
#   4./5. both again with the attacker as fast as it can go (a flood: it competes for the same 2 cores),
#   6. alone again (how much the machine itself drifted meanwhile),
# each for DURATION seconds; the attacker must reach at least 10,000 requests per phase. Then a 64 KiB header and
# 2 MiB bodies: status and time to refusal. Writes bench/results/abuse-<timestamp>.md (indexed in results/README.md).
#   bench/abuse.sh                          # 15 s per phase, 16 attacking connections
#   DURATION=10 ATTACK_CONNECTIONS=32 PACED_DELAY_MS=10 bench/abuse.sh
#   BENCH_ROOT=/path/to/older/checkout bench/abuse.sh   # the same measurement of another build (its packaged jar)
#   APP_OPTS=-Dolympus.auth.cache-max-entries=1000 bench/abuse.sh   # extra service options
# Run it niced on a shared machine (nice -n 19 bench/abuse.sh): everything it starts inherits the niceness.
set -euo pipefail
cd "$(dirname "$0")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export BENCH_DB_PORT=${BENCH_DB_PORT:-$(free_port)} BENCH_APP_PORT=${BENCH_APP_PORT:-$(free_port)}
export BENCH_PG_OPTS="-c shared_preload_libraries=pg_stat_statements"
. ./lib.sh
trap bench_cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

seconds=${DURATION:-15}
warmup=${WARMUP:-20}
workers=${WORKERS:-8}
attack_connections=${ATTACK_CONNECTIONS:-16}
paced_delay=${PACED_DELAY_MS:-15}
tasks=10000
min_attack=10000

echo "building and starting (database in $BENCH_DIR, service on :$APP_PORT)..."
bench_build
bench_start_db
psql_bench -d olympus -c "CREATE EXTENSION pg_stat_statements" >/dev/null
# Guard rails stay on; the workers' budget is far above the offered load. Invalid credentials never reach them.
bench_start_app -Dolympus.rate-limit.worker.quota=100000000 ${APP_OPTS:-}
url="http://127.0.0.1:$APP_PORT"

echo "seeding $workers worker agents and $tasks tasks..."
keys=
for i in $(seq 1 "$workers"); do
  key=$(api -X POST "$url/api/v1/agents" -d "{\"name\":\"abuse-worker-$i\",\"role\":\"worker\"}" \
    | sed -E 's/.*"apiKey":"([^"]+)".*/\1/')
  keys=${keys:+$keys,}$key
done
psql_olympus <<SQL
INSERT INTO tasks (title, description, priority, created_by, labels)
SELECT 'seeded task ' || g, 'description of task ' || g, (ARRAY['critical','high','medium','low'])[1 + g % 4], 'admin',
       ARRAY['seed']
FROM generate_series(1, $tasks) AS g;
ANALYZE tasks;
SQL
export BENCH_LUA_DIR=$PWD/wrk BENCH_KEYS=$keys BENCH_TASKS=$tasks

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
lookups_reset() { psql_bench -d olympus -c "SELECT pg_stat_statements_reset()" >/dev/null; }
# Calls of CredentialCache's lookup by key digest (the only statement with this predicate).
lookups() { psql_bench -d olympus -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%k.key_hash = \$1%'"; }
valid() { wrk -t 2 -c 8 -d "${1}s" --timeout 10s -s wrk/valid-agents.lua "$url" | awk '/^RESULT/ {sub(/^RESULT /, ""); print}'; }
attack() { # kind seconds [delay ms]
  BENCH_INVALID=$1 BENCH_DELAY_MS=${3:-0} wrk -t 1 -c "$attack_connections" -d "${2}s" --timeout 10s -s wrk/invalid-keys.lua "$url" \
    | awk '/^ATTACK/ {sub(/^ATTACK /, ""); print}'
}

# On 2 shared cores the JIT needs tens of seconds before the service runs at full speed: measured from a cold
# start, the first phase would look several times slower than the last.
echo "warming up (the JIT compiles the valid and the refusing paths, ${warmup} s)..."
valid "$warmup" >/dev/null
attack garbage $(( warmup / 4 )) >/dev/null
attack unknown $(( warmup / 4 )) >/dev/null
valid $(( warmup / 4 )) >/dev/null

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=results/abuse-$stamp.md
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
short=
phase() { # title attack-kind|- [delay ms]
  local title=$1 kind=$2 delay=${3:-0} a="" v cpu_before cpu attack_pid n own
  echo "  $title..."
  lookups_reset
  cpu_before=$(cpu_seconds "$APP_PID")
  if [ "$kind" != - ]; then
    attack "$kind" "$seconds" "$delay" > "$BENCH_DIR/attack.out" &
    attack_pid=$!
  fi
  v=$(valid "$seconds")
  if [ "$kind" != - ]; then
    wait "$attack_pid"
    a=$(cat "$BENCH_DIR/attack.out")
    [ "$(field "$a" requests)" -ge "$min_attack" ] || short="$short $title"
  fi
  cpu=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$APP_PID")" 'BEGIN {printf "%.1f", b - a}')
  n=$(lookups)
  own=$n
  [ "$kind" != unknown ] || own=$(( n - $(field "$a" requests) ))
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$title" "$(field "$v" rps)" \
    "$(field "$v" p50_ms)" "$(field "$v" p99_ms)" "$(field "$v" max_ms)" "$(field "$v" errors)" \
    "${a:+$(field "$a" requests)}" "${a:+$(field "$a" status_401)}" \
    "${a:+$(( $(field "$a" other) + $(field "$a" socket_errors) ))}" "${a:+$(field "$a" rps)}" "$n" \
    "$own" "$cpu")")
}

phase "valid agents alone" -
phase "+ garbage credentials, paced" garbage "$paced_delay"
phase "+ unknown well-formed keys, paced" unknown "$paced_delay"
phase "+ garbage credentials, flood" garbage
phase "+ unknown well-formed keys, flood" unknown
phase "valid agents alone, again" -
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "  oversized requests..."
oversized=$(python3 - "$APP_PORT" "$ADMIN_KEY" <<'PY'
# Each probe on a fresh connection: status line, time from the first byte sent to the answer, whether the server
# closed the connection afterwards (and how soon), how much of the request it read before answering.
import socket, sys, time
port, key = int(sys.argv[1]), sys.argv[2]

def probe(head, body=b"", chunk=65536):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(10)
    start = time.monotonic()
    sent, answer, answered_at = 0, b"", None
    data = head + body
    s.setblocking(False)
    while sent < len(data) and answered_at is None:
        try:
            sent += s.send(data[sent:sent + chunk])
        except BlockingIOError:
            time.sleep(0.001)
        except (BrokenPipeError, ConnectionResetError):
            break
        try:
            got = s.recv(65536)
            if got:
                answer += got
                answered_at = time.monotonic()
        except BlockingIOError:
            pass
        except ConnectionResetError:
            break
    s.setblocking(True)
    s.settimeout(10)
    closed = "kept open 10 s (hanging)"
    try:
        while True:
            got = s.recv(65536)
            if not got:
                closed = "closed after %.0f ms" % ((time.monotonic() - start) * 1000)
                break
            answer += got
            answered_at = answered_at or time.monotonic()
    except ConnectionResetError:
        closed = "reset after %.0f ms" % ((time.monotonic() - start) * 1000)
    except socket.timeout:
        pass
    s.close()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") if answer else "(no answer)"
    took = "%.1f ms" % ((answered_at - start) * 1000) if answered_at else "-"
    return status, took, closed, sent

auth = ("Authorization: Bearer %s\r\n" % key).encode()
big = b"X-Big: " + b"a" * 65536 + b"\r\n"
body = b"{" + b" " * (2 * 1024 * 1024 - 2) + b"}"
probes = [
    ("64 KiB header (GET /api/v1/tasks/1)",
     b"GET /api/v1/tasks/1 HTTP/1.1\r\nHost: x\r\n" + auth + big + b"\r\n", b""),
    ("2 MiB body with Content-Length (POST /api/v1/tasks)",
     b"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body),
     body),
    ("2 MiB body, chunked (POST /api/v1/tasks)",
     b"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
     b"".join(b"%x\r\n" % 65536 + body[i:i + 65536] + b"\r\n" for i in range(0, len(body), 65536)) + b"0\r\n\r\n"),
    ("2 MiB body with Content-Length, no credential",
     b"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body),
     body),
]
for title, head, payload in probes:
    status, took, closed, sent = probe(head, payload)
    print("| %s | %s | %s | %s | %d of %d KiB |" % (title, status, took, closed, sent // 1024, (len(head) + len(payload)) // 1024))
PY
)
after=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${keys%%,*}" "$url/api/v1/tasks/1")

{
  echo "# Olympus abuse benchmark, $stamp"
  echo
  machine_description
  echo "- load average (1/5/15 min) before / after the phases: $load_before / $load_after (other work on the machine competes for the 2 cores)"
  echo "- build measured: ${BENCH_LABEL:-$(git -C "$BENCH_ROOT" log -1 --format='%h %s' 2>/dev/null || echo "$BENCH_ROOT")}"
  echo "- service: packaged jar, prod profile, -Xmx1g, reactive pool 20; PostgreSQL durable (fsync on), with pg_stat_statements"
  echo "- valid agents: $workers worker agents, wrk -t 2 -c 8, GET /api/v1/tasks/{id} over $tasks tasks, each request with one of their keys at random"
  echo "- attacker: wrk -t 1 -c $attack_connections on the same endpoint; paced = each connection waits $paced_delay ms after every answer, flood = no pause;"
  echo "  garbage = random text, 'olk_' + 8 characters, and"
  echo "  three dotted random parts (a fake JWT), in turn; unknown = 'olk_' + 43 base64url characters, distinct for every request"
  echo "- $seconds s per phase, after a warm-up of every path ($warmup s valid, $(( warmup / 4 )) s of each attack, $(( warmup / 4 )) s valid)"
  echo "- credential lookups = calls of CredentialCache's SELECT by key digest during the phase (pg_stat_statements);"
  echo "  with cache-ttl 1 s, valid agents account for about one per key per second; every unknown key costs one (\"of which"
  echo "  for valid keys\" = lookups - unknown-key requests: it grows only if the attack pushes valid keys out of the cache)"
  echo "- command: \`$( [ -n "${APP_OPTS:-}" ] && echo "APP_OPTS=$APP_OPTS " )$( [ "$seconds" != 15 ] && echo "DURATION=$seconds " )$( [ "$attack_connections" != 16 ] && echo "ATTACK_CONNECTIONS=$attack_connections " )$( [ "$paced_delay" != 15 ] && echo "PACED_DELAY_MS=$paced_delay " )bench/abuse.sh\`"
  echo
  echo "## Valid agents with and without an attacker"
  echo
  echo "| phase | valid req/s | p50 ms | p99 ms | max ms | valid errors | attack requests | attack 401 | attack other / socket errors | attack req/s | credential lookups (DB) | of which for valid keys | service CPU s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  if [ -n "$short" ]; then
    echo
    echo "**The attacker sent fewer than $min_attack requests in:$short** (raise DURATION or ATTACK_CONNECTIONS)."
  fi
  echo
  echo "## Oversized requests"
  echo
  echo "Limits: \`quarkus.http.limits.max-header-size\`, \`quarkus.http.limits.max-body-size\` (256K). Each probe on a fresh connection;"
  echo "time from the first byte sent to the status line; how much of the request the client got to send before the answer."
  echo
  echo "| request | answer | time to answer | connection | sent before the answer |"
  echo "|---|---|---|---|---|"
  echo "$oversized"
  echo
  echo "A valid agent's GET right after the probes: $after."
} > "$out"
results/index.sh
cat "$out"
echo "result: bench/$out"
