-- Paces each wrk connection: one request, then a pause, so 100 connections offer a fixed rate
-- (100 / (pause + latency)) instead of as many requests as the server can take.
local pause = tonumber(os.getenv("AMBER_BENCH_PAUSE_MS") or "25")

function delay()
  return pause
end
