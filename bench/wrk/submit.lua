-- bin/quarry bench submit: wrk's requests. Each connection sends one request every DELAY ms (wrk has no
-- rate option; 10 connections at 100 ms each make about 100 requests/s, less their response times).
-- MODE upload: a tiny multipart upload with a unique Idempotency-Key, as a client would send it.
-- MODE read: GET /api/v1/documents?limit=1, the reference: the same API, security and database round trip.
local token = os.getenv("QUARRY_BENCH_TOKEN")
local prefix = os.getenv("QUARRY_BENCH_PREFIX")
local mode = os.getenv("QUARRY_BENCH_MODE")
local pause = tonumber(os.getenv("QUARRY_BENCH_DELAY_MS"))
local boundary = "quarry-bench-submit"
local threads = 0
local counter = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function delay()
  return pause
end

function request()
  if mode == "read" then
    return wrk.format("GET", "/api/v1/documents?limit=1", { ["Authorization"] = "Bearer " .. token })
  end
  counter = counter + 1
  local name = prefix .. "-" .. thread_id .. "-" .. counter
  local body = "--" .. boundary .. "\r\n"
      .. "Content-Disposition: form-data; name=\"file\"; filename=\"" .. name .. ".txt\"\r\n"
      .. "Content-Type: text/plain\r\n\r\n"
      .. "Submit latency probe " .. name .. ": the gate logs its pressure every hour.\r\n"
      .. "--" .. boundary .. "\r\n"
      .. "Content-Disposition: form-data; name=\"metadata\"\r\n"
      .. "Content-Type: application/json\r\n\r\n"
      .. "{\"collection\":\"bench-submit\"}\r\n"
      .. "--" .. boundary .. "--\r\n"
  return wrk.format("POST", "/api/v1/documents", {
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = name,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }, body)
end
