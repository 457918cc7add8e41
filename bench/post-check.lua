-- wrk script: POST /check, each request with a form token and cookie of
-- its own, as real visitors send them. The same form sent twice within
-- 10 s gives the same report (issue 13), so one token for every request
-- would measure that shortcut, not checks. bench/report.sh signs the
-- pairs with the portal's CSRF secret (as tests/lib/stack.mjs does) into
-- the file named by CSRF_PAIRS: "cookie token" per line.
local ip = os.getenv("CHECK_IP") or "192.0.2.2"
local pairs_ = {}
for line in io.lines(os.getenv("CSRF_PAIRS")) do
  local c, t = line:match("^(%S+) (%S+)$")
  if c then pairs_[#pairs_ + 1] = { c, t } end
end

local n = 0
function setup(thread)
  thread:set("offset", n)
  n = n + 1
end

local i = 0
function request()
  -- threads take every other pair, so no two requests share one
  local p = pairs_[((i * 2 + (offset or 0)) % #pairs_) + 1]
  i = i + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrf=" .. p[1],
  }, "csrf=" .. p[2] .. "&ip=" .. ip)
end

local redirects, others = 0, 0
function response(status, headers, body)
  if status == 303 then redirects = redirects + 1 else others = others + 1 end
end
