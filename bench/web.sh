#!/usr/bin/env bash
# Home page throughput through nginx -> portal.fcgi, side by side in one run
# with (a) nginx serving the same bytes as a static file and (b) a bare
# libfcgi program answering the same bytes from memory (bench/hello.c).
#   bench/web.sh [SECONDS] [WORKERS]
# Prints req/s, p99 latency, the ratios, and the portal workers' RSS after
# at least 100k requests.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10} workers=${2:-2}
cd "$top"
make -s all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/hello.fcgi bench/hello.c -lfcgi

dir=$(mktemp -d); chmod 755 "$dir"; mkdir -p "$dir/tmp" "$dir/www"
[ "$(id -u)" -eq 0 ] && chown -R www-data "$dir/tmp"
pids=()
cleanup() {
	for p in "${pids[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

cat > "$dir/portal.hdf" <<CONF
db.path = $dir/portal.sqlite
paths.data = $top
CONF
cgi-bin/portal.fcgi --conf "$dir/portal.hdf" --socket "$dir/portal.sock" --workers "$workers" --socket-mode 0666 2>"$dir/portal.log" &
master=$!; pids+=($master)
for _ in $(seq 50); do [ -S "$dir/portal.sock" ] && break; sleep 0.1; done

p_portal=18181 p_static=18182 p_hello=18183
scripts/nginx-conf.sh "$dir" "$p_portal" "$top/static" "$dir/portal.sock" > "$dir/nginx.conf"
# two more servers in the same nginx: static bytes and the bare FastCGI program
python3 - "$dir" "$p_static" "$p_hello" <<'PY'
import sys
d, ps, ph = sys.argv[1:]
conf = open(f"{d}/nginx.conf").read()
extra = f"""
    server {{ listen 127.0.0.1:{ps}; access_log off; location / {{ root {d}/www; try_files /home.html =404; }} }}
    server {{ listen 127.0.0.1:{ph}; access_log off; location / {{ include /etc/nginx/fastcgi_params; fastcgi_pass unix:{d}/hello.sock; }} }}
}}"""
conf = conf.rstrip()[:-1] + extra
open(f"{d}/nginx.conf", "w").write(conf + "\n")
PY
sed -i 's/^worker_processes 1;/worker_processes 2;/' "$dir/nginx.conf"
nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/nginx-error.log" & pids+=($!)
sleep 0.5
curl -s -o "$dir/www/home.html" "http://127.0.0.1:$p_portal/"
build/bench/hello.fcgi "$dir/www/home.html" "$dir/hello.sock" "$workers" & pids+=($!)
sleep 0.3
bytes=$(wc -c < "$dir/www/home.html")

run_wrk() {  # port -> "reqs p99"
	wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$1/" > "$dir/wrk.out"
	local rps p99
	rps=$(awk '/^Requests\/sec/ {print $2}' "$dir/wrk.out")
	p99=$(awk '$1=="99%" {print $2}' "$dir/wrk.out")
	echo "$rps $p99"
}
echo "home page: $bytes bytes; wrk -t2 -c32 -d${secs}s; $workers FastCGI workers; $(nproc) cores"
declare -A rps p99
for round in 1 2; do
	for name in static hello portal; do
		port_var="p_$name"
		read -r r l < <(run_wrk "${!port_var}")
		echo "  round $round  $name: $r req/s  p99 $l"
		rps[$name]="${rps[$name]:-} $r"; p99[$name]=$l
	done
done
best() { tr ' ' '\n' | grep . | sort -g | tail -1; }
s=$(echo "${rps[static]}" | best) h=$(echo "${rps[hello]}" | best) p=$(echo "${rps[portal]}" | best)

# keep going until the portal workers have served 100k requests, then RSS
while [ "$(grep -c . "$dir/nginx-access.log" 2>/dev/null || echo 0)" -lt 100000 ]; do
	wrk -t2 -c32 -d5s "http://127.0.0.1:$p_portal/" >/dev/null
done
total=$(grep -c ' / HTTP' "$dir/nginx-access.log")
rss=$(for c in $(pgrep -P "$master"); do awk '/VmRSS/ {print $2}' "/proc/$c/status"; done | sort -n | tail -1)
echo
printf 'static nginx      %10.0f req/s\n' "$s"
printf 'bare FastCGI      %10.0f req/s   = %.2f of static\n' "$h" "$(echo "$h / $s" | bc -l)"
printf 'portal home page  %10.0f req/s   = %.2f of bare FastCGI (target >= 0.60), %.2f of static\n' \
	"$p" "$(echo "$p / $h" | bc -l)" "$(echo "$p / $s" | bc -l)"
printf 'portal p99 %s; largest worker RSS after %d requests: %.1f MiB (target < 8)\n' \
	"${p99[portal]}" "$total" "$(echo "$rss / 1024" | bc -l)"
