#!/usr/bin/env bash
# make test / make test-asan: every suite, then one summary line.
#   C unit tests (cmocka, TAP), fuzz corpus replays, node:test suites
#   (tests/cli, tests/http, tests/browser) against real nginx, Apache,
#   rbldnsd and Chromium started by the tests themselves.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export OUT=${OUT:-.}
pass=0 fail=0
failed=()

count_tap() {   # $1 = name, stdin = TAP text, $2 = exit status
	local text ok notok
	text=$(cat)
	ok=$(grep -cE '^ok ' <<<"$text" || true)
	notok=$(grep -cE '^not ok ' <<<"$text" || true)
	if [ "$2" -ne 0 ] && [ "$notok" -eq 0 ]; then notok=1; fi
	pass=$((pass + ok)); fail=$((fail + notok))
	[ "$notok" -eq 0 ] || failed+=("$1")
}

asan_dir=$(mktemp -d)
if [ "${SAN:-0}" = "1" ]; then
	export ASAN_OPTIONS="log_path=$asan_dir/asan:detect_leaks=1:abort_on_error=0"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$asan_dir/ubsan"
	export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"
fi

echo "== C unit tests"
for t in ${UNIT_TESTS:-}; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1); rc=$?
	echo "$out" | sed "s|^|  [$(basename "$t")] |"
	count_tap "$(basename "$t")" "$rc" <<<"$out"
done

echo "== fuzz corpus replay"
for f in ${FUZZERS:-}; do
	if out=$("$OUT/build/replay/$f" "tests/fuzz/corpus/$f" 2>&1); then
		echo "  ok $f: $out"; pass=$((pass + 1))
	else
		echo "  not ok $f: $out"; fail=$((fail + 1)); failed+=("fuzz $f")
	fi
done

echo "== node:test suites (HTTP, CLI, browser)"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
	npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || npm install --no-audit --no-fund --loglevel=error
fi
mapfile -t suites < <(ls tests/cli/*.test.mjs tests/http/*.test.mjs tests/browser/*.test.mjs 2>/dev/null)
if [ ${#suites[@]} -gt 0 ]; then
	tap=$(mktemp)
	# --test-concurrency came with Node 21; Debian 12's Node 18 runs the
	# files in parallel on its own (one per core, two here).
	conc=()
	node --help 2>/dev/null | grep -q -- '--test-concurrency' && conc=(--test-concurrency=2)
	node --test --test-reporter=tap "${conc[@]}" "${suites[@]}" 2>&1 | tee "$tap"
	rc=${PIPESTATUS[0]}
	npass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)
	nfail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)
	npass=${npass:-0} nfail=${nfail:-0}
	if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then nfail=1; fi
	pass=$((pass + npass)); fail=$((fail + nfail))
	[ "$nfail" -eq 0 ] || failed+=("node:test ($nfail)")
	rm -f "$tap"
fi

if [ "${SAN:-0}" = "1" ] && ls "$asan_dir"/* >/dev/null 2>&1; then
	echo "== sanitizer reports"
	cat "$asan_dir"/*
	fail=$((fail + 1)); failed+=("sanitizer reports")
fi
rm -rf "$asan_dir"

echo
[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "TESTS: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
