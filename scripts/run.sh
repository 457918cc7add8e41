#!/usr/bin/env bash
# make run: the whole stack in the foreground on 127.0.0.1:PORT.
#   scripts/run.sh --port 8080 [--conf FILE] [--workers N]
# Without --conf it writes run/portal.hdf (database run/portal.sqlite, demo
# data on). Ctrl-C or SIGTERM stops nginx and the workers.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
port=8080 conf="" workers=2
while [ $# -gt 0 ]; do
	case "$1" in
	--port) port=${2:-8080}; shift 2 ;;
	--conf) conf=${2:-}; shift 2 ;;
	--workers) workers=$2; shift 2 ;;
	*) echo "usage: $0 [--port N] [--conf FILE] [--workers N]" >&2; exit 2 ;;
	esac
done
[ -n "$port" ] || port=8080
case "$port" in *[!0-9]*) echo "PORT must be a number" >&2; exit 2 ;; esac
# A taken port would only show up as nginx's bind error in a log file.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	echo "Port $port on 127.0.0.1 is already in use (another make run, or another server)." >&2
	echo "Stop that one, or pick another port: make run PORT=8091" >&2
	exit 2
fi

# run/ keeps the database, configuration and logs. As root, nginx's workers
# run as www-data, which cannot reach a checkout under /root (0700 on a
# fresh Debian): their socket, configuration and a copy of static/ then
# live in /run/blhelpdesk/PORT instead.
state="$top/run"
run="$state/$port"
if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then
	run="/run/blhelpdesk/$port"
	install -d -m 0755 /run/blhelpdesk
fi
rm -rf "$run/static"
mkdir -p "$run/tmp" "$state/$port"
chmod 0750 "$state"   # the database in it holds password hashes and sessions
cp -R "$top/static" "$run/static"
if [ -z "$conf" ]; then
	conf="$state/$port/portal.hdf"
	if [ ! -f "$conf" ]; then
		sed -e "s|^db.path = .*|db.path = $top/run/portal.sqlite|" \
		    -e "s|^paths.data = .*|paths.data = $top|" \
		    -e "s|^demo.seed = .*|demo.seed = 1|" \
		    -e "s|^postfix.db_path = .*|postfix.db_path =|" \
		    "$top/conf/portal.hdf.example" > "$conf"
	fi
fi
conf=$(cd "$(dirname "$conf")" && pwd)/$(basename "$conf")
[ -f "$conf" ] || { echo "no such configuration: $conf" >&2; exit 2; }

if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then
	chown -R www-data "$run/tmp"
fi

sock="$run/portal.sock"
bin="$top/${OUT:-.}/cgi-bin/portal.fcgi"   # OUT=build-asan runs the sanitizer build
"$top/scripts/nginx-conf.sh" "$run" "$port" "$run/static" "$sock" > "$run/nginx.conf"

pids=()
stop() {
	trap - INT TERM EXIT
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	echo "stopped."
}
trap stop INT TERM EXIT

"$bin" --check --demo --conf "$conf"
# As root, the workers give up root once loaded (user nobody), and only the
# web server's group reaches their socket.
who=(--socket-mode 0666)
if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	who=(--user nobody --socket-group www-data --socket-mode 0660)
fi
"$bin" --conf "$conf" --socket "$sock" --workers "$workers" --demo "${who[@]}" &
pids+=($!)
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
nginx -c "$run/nginx.conf" -p "$run" -e "$run/nginx-error.log" &
pids+=($!)
sleep 0.5
kill -0 "${pids[1]}" 2>/dev/null || { echo "nginx failed to start; see $run/nginx-error.log" >&2; exit 1; }

demo=$(sed -n 's/^demo.seed *= *//p' "$conf")
cat <<MSG

  Blacklist Help Desk is running at  http://127.0.0.1:$port/
  configuration: $conf
MSG
if [ "$demo" = "1" ]; then
	cat <<MSG
  demo customer:  login demo     password demo-customer-pw
  second customer: login florist password demo-florist-pw
  demo admin:     login admin    password demo-admin-pw
MSG
fi
echo "  Ctrl-C stops it."
echo
wait -n "${pids[@]}" || true
