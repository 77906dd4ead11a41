-- POST /api/v1/tasks with unique titles (duplicate detection must not trigger), each request from the next of the
-- orchestrators in BENCH_CREATOR_KEYS (comma-separated; BENCH_KEY when unset). Each wrk thread takes its own share
-- of them (thread t of BENCH_THREADS, default 2, every t-th): one creator's creations are serialised by design, so
-- requests in flight at the same time go to different creators, as the 32 orchestrators of a real team would.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local counter = 0
local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
thread_id = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end

local creators = {}

function init(args)
  for key in string.gmatch(os.getenv("BENCH_CREATOR_KEYS") or "", "[^,]+") do
    creators[#creators + 1] = common.headers({ ["Authorization"] = "Bearer " .. key })
  end
  if #creators == 0 then creators[1] = common.headers() end
end

function request()
  counter = counter + 1
  -- The run's nonce keeps titles unique across runs too (math.random repeats its sequence in every run).
  local body = string.format('{"title":"bench %s-%d-%d","priority":"medium","labels":["bench"]}',
    nonce, thread_id, counter)
  local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
  return wrk.format("POST", "/api/v1/tasks", creators[1 + (counter * threads + thread_id - 1) % #creators], body)
end

done = common.done
