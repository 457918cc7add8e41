#!/usr/bin/env bash
# bench/incident.sh [N] [THREADS]: the incident scenario of issue 13, the
# design before (a check inside the request) and after (check threads)
# side by side; see bench/incident.mjs. Record the table in RESULTS.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
make -s all >/dev/null
exec node bench/incident.mjs "${1:-48}" "${2:-32}"
