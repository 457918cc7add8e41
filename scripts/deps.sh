#!/bin/sh
# Installs the Debian packages the portal and its tests need, only the
# missing ones (dpkg-query first), through sudo when not root.
set -eu
BUILD="make gcc libc6-dev clang pkg-config libfcgi-dev clearsilver-dev libc-ares-dev libsqlite3-dev sqlite3
 libsodium-dev libjansson-dev libpcre2-dev libgmime-3.0-dev zlib1g-dev"
RUN="nginx-light"
TEST="libcmocka-dev rbldnsd unbound postfix-sqlite apache2 chromium nodejs npm libclang-rt-14-dev
 wrk procps iproute2 curl fonts-dejavu-core ca-certificates openssl systemd"
BENCH="libsisimai-perl rblcheck hyperfine"

missing=""
for p in $BUILD $RUN $TEST $BENCH; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# nginx-light, nginx-core, nginx-full and nginx all provide the nginx binary.
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
	missing=$(echo "$missing" | sed 's/ nginx-light//')
fi
# Node from another source (nodesource) already brings npm.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
fi
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "Missing packages:$missing" >&2
		echo "Run make as root, or install sudo, to install them." >&2
		exit 1
	}
	SUDO="sudo"
fi
echo "Installing:$missing"
# postfix-sqlite pulls in postfix: keep it unconfigured (the mail service
# itself is not run; tests only use postmap).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
