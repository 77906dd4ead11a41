-- Shared by the wrk scenarios: authentication and a one-line machine-readable summary.
local common = {}

common.key = os.getenv("BENCH_KEY")
common.tasks = tonumber(os.getenv("BENCH_TASKS") or "100000")

function common.headers(extra)
  local h = { ["Authorization"] = "Bearer " .. common.key, ["Content-Type"] = "application/json" }
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

-- Prints: RESULT rps=<n> p50_ms=<n> p99_ms=<n> max_ms=<n> errors=<n> requests=<n>
function common.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d requests=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors, summary.requests))
end

return common
