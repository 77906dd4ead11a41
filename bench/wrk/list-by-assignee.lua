-- GET /api/v1/tasks?assignee=<one of the 50 workers>&limit=50
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local headers
local agents = tonumber(os.getenv("BENCH_AGENTS") or "50")

function init(args) headers = common.headers() end

function request()
  return wrk.format("GET", string.format("/api/v1/tasks?assignee=bench-worker-%d&limit=50", math.random(1, agents)), headers)
end

done = common.done
