-- wrk script: POST /check with a valid CSRF cookie + field (the token is
-- passed in the environment by bench/report.sh).
local token = os.getenv("CSRF")
local ip = os.getenv("CHECK_IP") or "192.0.2.2"
wrk.method = "POST"
wrk.body = "csrf=" .. token .. "&ip=" .. ip
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrf=" .. token

local redirects, others = 0, 0
function response(status, headers, body)
  if status == 303 then redirects = redirects + 1 else others = others + 1 end
end
