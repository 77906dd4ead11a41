-- PATCH /api/v1/tasks/{id} with If-Match. Run with as many threads as connections (-t N -c N): each thread
-- then owns one connection and one task, so every response's ETag is the version its next request expects.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
task_id = 0
local version = 1
local counter = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("task_id", tonumber(os.getenv("BENCH_PATCH_FIRST_ID") or "1") + next_thread - 1)
end

function request()
  counter = counter + 1
  local body = string.format('{"result":"progress %d"}', counter)
  return wrk.format("PATCH", "/api/v1/tasks/" .. task_id,
    common.headers({ ["If-Match"] = '"' .. version .. '"' }), body)
end

function response(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if etag then
    version = tonumber(etag:match('"(%d+)"'))
  elseif status == 412 then
    -- another run touched this task: the problem tells the current version
    version = tonumber(body:match('"currentVersion":(%d+)')) or version
  end
end

done = common.done
