#!/usr/bin/env bash
# make test-fresh: the README's `make test` in a brand-new minimal Debian 12
# root, as a newcomer's machine would run it.
#   1. debootstrap --variant=minbase bookworm, from the Debian mirror this
#      machine's apt already uses (read from its sources, never hard-coded);
#   2. only git and make added, plus this machine's own network trust: its
#      extra CA certificates and npm's cafile setting;
#   3. the committed HEAD cloned into /root/portal and `make test` run there
#      as root; its last lines printed;
#   4. whatever happens, every process inside is stopped, every mount
#      undone and the root removed.
# FRESH_TIMEOUT (seconds, default 3600) bounds the inner run; the log of the
# inner run is kept in build/test-fresh.log.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" -eq 0 ] || { echo "test-fresh needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

# The first Debian archive URI in apt's sources (deb822 first, then one-line).
debian_mirror() {
	local f uri
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk 'tolower($1) == "uris:" && $2 ~ /debian\/?$/ { print $2; exit }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		uri=$(awk '$1 == "deb" && $2 !~ /^\[/ && $2 ~ /debian\/?$/ { print $2; exit }
		           $1 == "deb" && $2 ~ /^\[/ && $3 ~ /debian\/?$/ { print $3; exit }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
}

mirror=$(debian_mirror)
[ -n "$mirror" ] || { echo "no Debian mirror found in apt's sources" >&2; exit 2; }
if ! command -v debootstrap >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
		{ echo "could not install debootstrap" >&2; exit 2; }
fi

mkdir -p build
root=$(mktemp -d /var/tmp/blhd-fresh.XXXXXX)
chmod 0755 "$root"   # it becomes "/": apt's _apt and nginx's www-data must traverse it
log="$top/build/test-fresh.log"
started=$(date +%s)

# Processes whose root is inside the fresh root (services a test left).
kill_inside() {
	local p link
	for p in /proc/[0-9]*; do
		link=$(readlink "$p/root" 2>/dev/null) || continue
		case "$link" in "$root"|"$root"/*) kill -KILL "${p#/proc/}" 2>/dev/null ;; esac
	done
}
cleanup() {
	kill_inside
	sleep 0.5
	local m
	for m in dev/shm dev/pts dev sys proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -R "$root/$m" 2>/dev/null
		mountpoint -q "$root/$m" 2>/dev/null && umount -R -l "$root/$m" 2>/dev/null
	done
	# Never remove through a mount that is still there (it could be the host's /dev).
	if grep -q " $root/" /proc/self/mounts; then
		echo "test-fresh: $root still has mounts; not removing it" >&2
	else
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== debootstrap minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
	{ tail -n 3 "$root.debootstrap.log"; rm -f "$root.debootstrap.log"; echo "debootstrap failed"; exit 3; }
rm -f "$root.debootstrap.log"

# Same apt sources and name resolution as this machine.
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	case "$(basename "$f")" in *disabled*) continue ;; esac
	grep -q debian "$f" && cp "$f" "$root/$f"
done
# This machine's network trust: its extra CA certificates (picked up when
# the project's set-up installs ca-certificates) and npm's cafile setting.
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null
cafile=$(npm config get cafile 2>/dev/null || true)
case "$cafile" in ""|null|undefined) ;; *) echo "cafile=$cafile" > "$root/etc/npmrc" ;; esac
# A chroot has no init: packages must not start their services in the
# host's network (nginx on port 80 and the like).
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"

in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

echo "== git and make, nothing else"
in_root /bin/sh -c 'apt-get update -q >/dev/null &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends git make >/dev/null' ||
	{ echo "could not install git and make in the fresh root"; exit 3; }

echo "== clone of $(git rev-parse --short HEAD), make test as root"
git clone -q "$top" "$root/root/portal" || exit 3
# In the background, so that INT/TERM reach the trap at once (bash runs
# traps only between foreground commands).
in_root /bin/sh -c "cd /root/portal && timeout ${FRESH_TIMEOUT:-3600} make test" >"$log" 2>&1 &
wait $!
rc=$?
tail -n 6 "$log"
echo "fresh make test: exit $rc after $(( $(date +%s) - started )) s (whole log: build/test-fresh.log)"
exit $rc
