-- wrk script for cognitod's benchmark: one AWS JSON 1.1 operation per run, chosen by the first
-- argument. Keys and usernames follow cognitod-seedgen's layout (bench/seedgen.hpp):
--   user i      user%08d                       device i   <region>_d0000000-0000-4000-8000-%012d
--   the owner of device i is user floor(i * users / devices); past that, spare device i belongs
--   to user users + floor((i - devices) / 1000)
-- Arguments, after wrk's "--":
--   op pool_id users devices forget_first forget_last threads
-- Reads and status updates pick devices in [0, devices) and users in [0, users); AdminForgetDevice
-- walks the spare devices [forget_first, forget_last) so that no key is sent twice: thread t (of
-- threads) sends forget_first + t, + t + threads, ... done() prints how far the walk went.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local op, pool_id, region
local users, devices, forget_first, forget_last, stride
local spare_devices_per_user = 1000
local canned = {}
local canned_next = 1

local function username(i)
   return string.format("user%08d", i)
end

local function device_key(i)
   return string.format("%s_d0000000-0000-4000-8000-%012d", region, i)
end

local function owner(i)
   if i < devices then
      return math.floor(i * users / devices)
   end
   return users + math.floor((i - devices) / spare_devices_per_user)
end

local function post(body)
   return wrk.format("POST", "/", {
      ["Content-Type"] = "application/x-amz-json-1.1",
      ["X-Amz-Target"] = "AWSCognitoIdentityProviderService." .. op,
   }, body)
end

-- The body of one request for a random device or user (spares excluded).
local function random_body()
   local d = math.random(0, math.max(devices, 1) - 1)
   local u = math.random(0, users - 1)
   if op == "AdminGetDevice" then
      return string.format('{"UserPoolId":"%s","Username":"%s","DeviceKey":"%s"}',
         pool_id, username(owner(d)), device_key(d))
   elseif op == "AdminUpdateDeviceStatus" then
      return string.format(
         '{"UserPoolId":"%s","Username":"%s","DeviceKey":"%s","DeviceRememberedStatus":"remembered"}',
         pool_id, username(owner(d)), device_key(d))
   elseif op == "AdminListDevices" then
      return string.format('{"UserPoolId":"%s","Username":"%s"}', pool_id, username(owner(d)))
   elseif op == "AdminGetUser" then
      return string.format('{"UserPoolId":"%s","Username":"%s"}', pool_id, username(u))
   elseif op == "AdminUpdateUserAttributes" then
      return string.format(
         '{"UserPoolId":"%s","Username":"%s","UserAttributes":[{"Name":"given_name","Value":"bench %d"}]}',
         pool_id, username(u), math.random(0, 999999))
   elseif op == "DescribeUserPool" then
      return string.format('{"UserPoolId":"%s"}', pool_id)
   end
   error("cognito.lua: unknown operation " .. tostring(op))
end

function init(args)
   op = args[1]
   pool_id = args[2]
   region = string.match(pool_id, "^([^_]+)_")
   users = tonumber(args[3])
   devices = tonumber(args[4])
   forget_first = tonumber(args[5])
   forget_last = tonumber(args[6])
   stride = tonumber(args[7])
   math.randomseed(1000 + id)
   next_forget = forget_first + id
   if op ~= "AdminForgetDevice" then
      -- Formatting costs wrk time it would rather spend sending: build a few thousand requests
      -- once and cycle through them.
      for i = 1, 4096 do
         canned[i] = post(random_body())
      end
   end
end

function request()
   if op == "AdminForgetDevice" then
      local d = next_forget
      next_forget = next_forget + stride
      return post(string.format('{"UserPoolId":"%s","Username":"%s","DeviceKey":"%s"}',
         pool_id, username(owner(d)), device_key(d)))
   end
   local r = canned[canned_next]
   canned_next = canned_next % #canned + 1
   return r
end

function done(summary, latency, requests)
   -- done() runs in wrk's main state, where init() never ran: read the threads' variables.
   local furthest = 0
   for _, thread in ipairs(threads) do
      furthest = math.max(furthest, thread:get("next_forget") or 0)
   end
   local e = summary.errors
   -- One line for bench/run to read; microseconds as wrk measures them.
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d " ..
      "socket_errors=%d forget_next=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      latency.max, e.status, e.connect + e.read + e.write + e.timeout, furthest))
end
