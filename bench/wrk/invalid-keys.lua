-- The attackers of bench/abuse.sh: GET /api/v1/tasks/{id} with a credential that can never be valid.
--   BENCH_INVALID=garbage  not key-shaped: random text, 'olk_' keys too short to be keys, three dotted parts
--                          that look like a JWT but are not one (cycled in that order)
--   BENCH_INVALID=unknown  well-formed API keys ('olk_' + 43 base64url characters) that exist nowhere, distinct
--                          for every request (thread number and a counter, then random characters)
-- Optional pacing: BENCH_DELAY_MS between a response and the next request on each connection.
-- Prints: ATTACK requests=<n> status_401=<n> other=<n> (other: any other status, or a socket error)
local kind = os.getenv("BENCH_INVALID") or "unknown"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = {}
sent, got401, other = 0, 0, 0 -- globals: done() reads them from each thread

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
end

local function random_chars(n)
  local out = {}
  for i = 1, n do
    local c = math.random(1, 64)
    out[i] = alphabet:sub(c, c)
  end
  return table.concat(out)
end

local function credential()
  sent = sent + 1
  if kind == "garbage" then
    local form = sent % 3
    if form == 0 then return "not-a-key-" .. random_chars(30) end
    if form == 1 then return "olk_" .. random_chars(8) end
    return random_chars(20) .. "." .. random_chars(40) .. "." .. random_chars(20)
  end
  -- 43 characters: 2 for the thread, 10 for the counter, 31 random
  return "olk_" .. string.format("%02d%010d", id, sent) .. random_chars(31)
end

function request()
  return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, 1000),
    { ["Authorization"] = "Bearer " .. credential() })
end

function response(status, headers, body)
  if status == 401 then got401 = got401 + 1 else other = other + 1 end
end

if delay_ms > 0 then
  function delay() return delay_ms end
end

function done(summary, latency, requests)
  local n401, nother = 0, 0
  for _, t in ipairs(threads) do
    n401 = n401 + t:get("got401")
    nother = nother + t:get("other")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("ATTACK requests=%d status_401=%d other=%d socket_errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, n401, nother, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
