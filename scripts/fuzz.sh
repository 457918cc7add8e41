#!/usr/bin/env bash
# make fuzz [FUZZ_SECONDS=N]: runs every libFuzzer target (built in
# build-fuzz/ by clang) for N seconds each, starting from its checked-in
# seed corpus. New inputs go to build-fuzz/corpus-NAME (merge the useful
# ones into tests/fuzz/corpus/NAME by hand); crashes to build-fuzz/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-${FUZZ_SECONDS:-60}}
status=0
for bin in build-fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work="build-fuzz/corpus-$name"
	mkdir -p "$work"
	echo "== $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="build-fuzz/$name-" "$work" "tests/fuzz/corpus/$name" 2>"build-fuzz/$name.log"; then
		echo "   FOUND A CRASH: see build-fuzz/$name.log and build-fuzz/$name-*"
		status=1
	fi
	tail -n 2 "build-fuzz/$name.log" | sed 's/^/   /'
done
exit $status
