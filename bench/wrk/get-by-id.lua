-- GET /api/v1/tasks/{id} for random ids among the seeded tasks.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local headers

function init(args) headers = common.headers() end

function request()
  return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, common.tasks), headers)
end

done = common.done
