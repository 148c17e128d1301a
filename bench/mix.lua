-- wrk script for bench/load.sh: every client walks the same mix of public URLs in turn,
-- and the summary adds the error count (any status of 400 or more, or a socket error).
local paths = {
  "/",
  "/cases/",
  "/cases/?measure=telework&prefecture=34",
  "/cases/?measure=security&region=kanto&sort=cost",
  "/cases/?grant=chiho-sosei-suishin&year=2021",
  "/cases/prefectures/",
  "/search/?q=%E8%A6%B3%E5%85%89",
  "/search/?q=%E3%83%86%E3%83%AC%E3%83%AF%E3%83%BC%E3%82%AF",
  "/cases/nagoya-vdi/",
  "/cases/fuchu-workation/",
  "/cases/nankoku-health-portal/interview/",
  "/measures/telework/",
  "/cases/export.csv",
  "/cases/export.json?q=%E4%BA%A4%E4%BB%98%E9%87%91&measure=telework",
}

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  next_path = id
  errors = 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path], { ["X-Forwarded-Proto"] = "https" })
end

function response(status, headers, body)
  if status >= 400 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
  end
  failed = failed + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("LOAD requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p99_ms=%.1f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
end
