#!/usr/bin/env bash
# Report pages and checks through nginx -> portal.fcgi, in one run:
#  1. GET of a stored report page, side by side with the bare libfcgi
#     program (bench/hello.c) answering the same bytes (target >= 0.50);
#  2. POST /check with the DNS answers cached (rbldnsd on loopback, rate
#     limiting off): checks per second, every one stored (target >= 1000/s).
#   bench/report.sh [SECONDS] [WORKERS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10} workers=${2:-2}
cd "$top"
make -s all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/hello.fcgi bench/hello.c -lfcgi

dir=$(mktemp -d); chmod 755 "$dir"; mkdir -p "$dir/tmp"
[ "$(id -u)" -eq 0 ] && chown -R www-data "$dir/tmp"
pids=()
cleanup() {
	for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

# rbldnsd with the test zones, on a free loopback port (tests/lib/rbldnsd.mjs)
node --input-type=module -e "
import { startRbldnsd } from '$top/tests/lib/rbldnsd.mjs';
const d = await startRbldnsd();
console.log(d.server);
process.on('SIGTERM', async () => { await d.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);" > "$dir/dns.out" &
pids+=($!)
for _ in $(seq 50); do [ -s "$dir/dns.out" ] && break; sleep 0.1; done
server=$(head -1 "$dir/dns.out")

cat > "$dir/portal.hdf" <<CONF
db.path = $dir/portal.sqlite
paths.data = $top
dns.servers = $server
dns.allow_reserved = 1
checks.per_minute = 0
checks.global_per_minute = 0
site.outgoing_ips = 192.0.2.2
CONF
cgi-bin/portal.fcgi --conf "$dir/portal.hdf" --socket "$dir/portal.sock" --workers "$workers" --socket-mode 0666 2>"$dir/portal.log" &
master=$!; pids+=($master)
for _ in $(seq 50); do [ -S "$dir/portal.sock" ] && break; sleep 0.1; done

p_portal=18281 p_hello=18283
scripts/nginx-conf.sh "$dir" "$p_portal" "$top/static" "$dir/portal.sock" > "$dir/nginx.conf"
python3 - "$dir" "$p_hello" <<'PY'
import sys
d, ph = sys.argv[1:]
conf = open(f"{d}/nginx.conf").read().rstrip()[:-1]
conf += f"""
    server {{ listen 127.0.0.1:{ph}; access_log off; location / {{ include /etc/nginx/fastcgi_params; fastcgi_pass unix:{d}/hello2.sock; }} }}
}}
"""
open(f"{d}/nginx.conf", "w").write(conf.replace("worker_processes 1;", "worker_processes 2;"))
PY
nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/nginx-error.log" & pids+=($!)
sleep 0.5

# one stored report from a real bounce
jar="$dir/cookies"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$p_portal/" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
loc=$(curl -s -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "bounce@tests/fixtures/http/aol-rtr-bb.eml" "http://127.0.0.1:$p_portal/check")
path=${loc#http://127.0.0.1:$p_portal}
curl -s -o "$dir/report.html" "http://127.0.0.1:$p_portal$path"
build/bench/hello.fcgi "$dir/report.html" "$dir/hello2.sock" "$workers" & pids+=($!)
sleep 0.3

wrk_rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
echo "report page: $(wc -c < "$dir/report.html") bytes ($path); wrk -t2 -c32 -d${secs}s; $workers workers"
best_r=0 best_h=0
for round in 1 2; do
	wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$p_hello/" > "$dir/h.out"
	wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$p_portal$path" > "$dir/r.out"
	h=$(wrk_rps "$dir/h.out") r=$(wrk_rps "$dir/r.out")
	echo "  round $round  bare FastCGI $h req/s   report page $r req/s (p99 $(awk '$1=="99%" {print $2}' "$dir/r.out"))"
	best_h=$(echo "if ($h > $best_h) $h else $best_h" | bc -l)
	best_r=$(echo "if ($r > $best_r) $r else $best_r" | bc -l)
done
printf 'report page %.0f req/s = %.2f of the bare FastCGI program (%.0f req/s); target >= 0.50\n' \
	"$best_r" "$(echo "$best_r / $best_h" | bc -l)" "$best_h"

# one signed (cookie, token) pair per request wrk can send (see
# bench/post-check.lua): made with the portal's own secret, valid 12 hours
python3 - "$dir/portal.sqlite.csrf-key" "$dir/pairs" <<'PY'
import base64, hashlib, hmac, os, sys, time
key = open(sys.argv[1], "rb").read()
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
mac = lambda m: b64(hmac.new(key, m.encode(), hashlib.sha256).digest())
expiry = int(time.time()) + 3600
with open(sys.argv[2], "w") as out:
    for _ in range(200000):
        vid = b64(os.urandom(32))
        cookie = f"{vid}.{mac('visitor:' + vid)}"
        out.write(f"{cookie} {expiry}-{mac(f'csrf:{expiry}:{cookie}')}\n")
PY

# checks: warm the DNS cache once, then POST /check as fast as it goes, for
# a typical address (listed on one list) and the worst case (listed on all)
for case in "192.0.2.3 typical: listed on 1 list" "192.0.2.2 worst case: listed on every list"; do
	ip=${case%% *} what=${case#* }
	curl -s -o /dev/null -b "$jar" --data "csrf=$csrf&ip=$ip" "http://127.0.0.1:$p_portal/check"
	before=$(sqlite3 "$dir/portal.sqlite" "SELECT count(*) FROM reports")
	CHECK_IP=$ip CSRF_PAIRS="$dir/pairs" wrk -t2 -c16 -d"${secs}s" -s bench/post-check.lua "http://127.0.0.1:$p_portal/check" > "$dir/c.out"
	after=$(sqlite3 "$dir/portal.sqlite" "SELECT count(*) FROM reports")
	non2xx=$(awk '/Non-2xx or 3xx/ {print $5}' "$dir/c.out")
	reqs=$(awk '/requests in/ {print $1}' "$dir/c.out")
	stored=$((after - before))
	printf 'POST /check %s (%s), cached DNS: %.0f checks/s; %d requests, %d reports stored, %s non-2xx/3xx; target >= 1000/s\n' \
		"$ip" "$what" "$(echo "$stored / $secs" | bc -l)" "$reqs" "$stored" "${non2xx:-0}"
done
