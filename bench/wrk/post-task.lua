-- POST /api/v1/tasks with unique titles (duplicate detection must not trigger).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local headers
local counter = 0
thread_id = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end

function init(args) headers = common.headers() end

function request()
  counter = counter + 1
  local body = string.format('{"title":"bench %d-%d-%d","priority":"medium","labels":["bench"]}',
    thread_id, counter, math.random(1, 1e9))
  return wrk.format("POST", "/api/v1/tasks", headers, body)
end

done = common.done
