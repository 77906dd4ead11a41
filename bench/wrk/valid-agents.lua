-- The valid agents of bench/abuse.sh: GET /api/v1/tasks/{id} for random seeded ids, each request with the key of
-- one of the worker agents in BENCH_KEYS (comma-separated), chosen at random.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local keys = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
  for key in string.gmatch(os.getenv("BENCH_KEYS"), "[^,]+") do
    keys[#keys + 1] = { ["Authorization"] = "Bearer " .. key }
  end
end

function request()
  return wrk.format("GET", "/api/v1/tasks/" .. math.random(1, common.tasks), keys[math.random(#keys)])
end

done = common.done
