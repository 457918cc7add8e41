#!/usr/bin/env bash
# make lint, part one: the layout rules the compiler cannot see.
#  1. An engine's internal headers (src/<engine>/internal/) are included only
#     by that engine (and by the white-box tests under tests/).
#  2. Each third-party library is included from one folder only.
#  3. No C file grows past MAX_LINES.
# Prints every violation as FILE:LINE: message; exits 1 if there is one.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
MAX_LINES=600
bad=0
say() { echo "$1"; bad=1; }

# 1. internal headers
while IFS=: read -r file line text; do
	inc=$(sed -n 's/.*#include "\([^"]*\)".*/\1/p' <<<"$text")
	case "$file" in tests/*|bench/*) continue ;; esac
	own=""
	case "$file" in src/*/*) own=${file#src/}; own=${own%%/*} ;; esac
	case "$inc" in
	internal/*|../internal/*)
		[ -n "$own" ] || say "$file:$line: includes $inc, an internal header of no engine it belongs to" ;;
	*/internal/*)
		eng=${inc%%/internal/*}; eng=${eng##*/}
		[ "$eng" = "$own" ] || say "$file:$line: includes $inc, internal to src/$eng/" ;;
	esac
done < <(grep -rnE '#include "[^"]*internal/' src cgi-bin tools bench tests 2>/dev/null)

# 2. third-party headers and the one folder (or file) allowed to include each
owners=(
	"ares.h:src/dnsbl/dnsbl_ares.c"
	"sqlite3.h:src/store/"
	"zlib.h:src/store/"
	"pcre2.h:src/bounce/"
	"sodium.h:src/core/token.c src/core/password.c"
	"fcgiapp.h:cgi-bin/"
	"ClearSilver.h:src/hdf/ cgi-bin/"
)
for entry in "${owners[@]}"; do
	hdr=${entry%%:*}
	allowed=${entry#*:}
	while IFS=: read -r file line _; do
		case "$file" in tests/*|bench/*) continue ;; esac
		ok=0
		for a in $allowed; do case "$file" in "$a"*) ok=1 ;; esac; done
		[ $ok = 1 ] || say "$file:$line: includes <$hdr>; only $allowed may"
	done < <(grep -rnE "#include <$hdr>" src cgi-bin tools 2>/dev/null)
done

# 3. file length
while read -r n file; do
	[ "$file" = total ] && continue
	[ "$n" -le $MAX_LINES ] || say "$file:1: $n lines (more than $MAX_LINES): split it by job"
done < <(find src cgi-bin tools -name '*.c' -print0 | xargs -0 wc -l)

[ $bad = 0 ] && echo "layout: ok"
exit $bad
