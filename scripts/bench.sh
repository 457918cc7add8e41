#!/usr/bin/env bash
# make bench [BENCH="web report"]: runs the benchmarks under bench/ (each
# prints its numbers side by side with its baseline; bench/RESULTS.md keeps
# the recorded runs and the commands). Default: all of them, one by one.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
names=${BENCH:-"bounce-accuracy bounce-speed dnsbl report web admin maillog"}
status=0
for n in $names; do
	script=bench/$n
	[ -x "$script" ] || script=bench/$n.sh
	[ -x "$script" ] || { echo "no benchmark named $n" >&2; status=2; continue; }
	echo "== $script"
	"$script" || status=1
done
exit $status
