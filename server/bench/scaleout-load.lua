-- The scale-out bench's load generator when wrk is installed (run by scaleout-wrk.ts): wrk costs the
-- machine far less CPU per request than a Node.js client, and the load generator shares the cores
-- with the instances it measures.
--
-- Thread i sends to the i-th port of SCALEOUT_PORTS, as a round-robin load balancer would: every
-- request of its share of the plan (the file SCALEOUT_PLAN names with i for %d) once, a repeated
-- callback would only count a delivery; each of its connections takes the next one as soon as its
-- last is answered. Plan lines are `method TAB path TAB headers TAB body`, each field
-- percent-escaped, headers as `name: value` lines. A thread whose share is answered prints `done`
-- and stops; once all have, the caller interrupts wrk and done() prints one JSON line
-- `{ rps, p99, ok, failed, cpuMs }`, timed from the first request sent to the last answer.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } scaleout_timespec;
  int clock_gettime(int clock, scaleout_timespec *now);
]]
local MONOTONIC, PROCESS_CPU = 1, 2
local timespec = ffi.new("scaleout_timespec")
local function clock_ms(clock)
  ffi.C.clock_gettime(clock, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

-- Sent once a connection's thread has no plan request left (and for wrk's own check of request()),
-- and told from plan requests by its answer, which the caller read from the instances beforehand.
local IDLE_PATH, IDLE_BODY = os.getenv("SCALEOUT_IDLE_PATH"), os.getenv("SCALEOUT_IDLE_BODY")

local ports, threads = {}, {}
for port in os.getenv("SCALEOUT_PORTS"):gmatch("%d+") do ports[#ports + 1] = port end

function setup(thread)
  local index = #threads + 1
  thread.addr = wrk.lookup("127.0.0.1", ports[index])[1]
  thread:set("index", index)
  threads[index] = thread
end

local function unescape(text)
  return (text:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

local share, idle, checked = {}, nil, false
local sent, answered = 0, 0
-- Read by done() through thread:get, so global.
planned, ok, first_ms, last_ms, first_cpu, last_cpu = 0, 0, nil, nil, nil, nil

function init()
  for line in io.lines(string.format(os.getenv("SCALEOUT_PLAN"), index)) do
    local method, path, header_lines, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
    local headers = {}
    for name, value in unescape(header_lines):gmatch("([^:\n]+): ([^\n]*)") do headers[name] = value end
    share[#share + 1] = wrk.format(method, unescape(path), headers, body ~= "" and unescape(body) or nil)
  end
  planned = #share
  idle = wrk.format("GET", IDLE_PATH)
end

function request()
  if not first_ms then
    -- wrk calls request() once before the threads start, to check what it returns: answer that
    -- first call with the idle request, which is harmless if the call was a real one.
    if not checked then
      checked = true
      return idle
    end
    first_ms, first_cpu = clock_ms(MONOTONIC), clock_ms(PROCESS_CPU)
  end
  if sent < #share then
    sent = sent + 1
    return share[sent]
  end
  return idle
end

function response(status, headers, body)
  if body == IDLE_BODY then return end
  answered = answered + 1
  if status >= 200 and status < 300 then ok = ok + 1 end
  if answered == planned then
    last_ms, last_cpu = clock_ms(MONOTONIC), clock_ms(PROCESS_CPU)
    io.write("done\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency)
  local from, to, cpu_from, cpu_to, all_ok, all_failed = math.huge, 0, math.huge, 0, 0, 0
  for _, thread in ipairs(threads) do
    from = math.min(from, thread:get("first_ms") or math.huge)
    cpu_from = math.min(cpu_from, thread:get("first_cpu") or math.huge)
    to = math.max(to, thread:get("last_ms") or 0)
    cpu_to = math.max(cpu_to, thread:get("last_cpu") or 0)
    all_ok = all_ok + thread:get("ok")
    all_failed = all_failed + thread:get("planned") - thread:get("ok")
  end
  local seconds = math.max(to - from, 1) / 1000
  io.write(string.format('{"rps":%.1f,"p99":%d,"ok":%d,"failed":%d,"cpuMs":%.1f}\n',
    all_ok / seconds, math.floor(latency:percentile(99) / 1000 + 0.5), all_ok, all_failed, math.max(cpu_to - cpu_from, 0)))
end
