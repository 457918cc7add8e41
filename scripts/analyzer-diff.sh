#!/usr/bin/env bash
# scripts/analyzer-diff.sh [REV] [CORPUS_DIR]: builds tools/bounce-analyze at
# REV (default HEAD) in a temporary worktree and compares its output with the
# working tree's build over every file of the corpus (default
# ../shared/corpus/sisimai, its labels.tsv order). Prints "identical" or the
# differing lines; exit 0 when identical. Used to prove that a refactoring
# changed no verdict.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
rev=${1:-HEAD}
corpus=${2:-../shared/corpus/sisimai}
[ -f "$corpus/labels.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/base" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
git worktree add -q --detach "$tmp/base" "$rev"
make -s -C "$tmp/base" tools/bounce-analyze >/dev/null
make -s tools/bounce-analyze >/dev/null
tail -n +2 "$corpus/labels.tsv" | cut -f1 | sed "s|^|$corpus/|" > "$tmp/files"
xargs "$tmp/base/tools/bounce-analyze" < "$tmp/files" > "$tmp/before"
xargs tools/bounce-analyze < "$tmp/files" > "$tmp/after"
n=$(wc -l < "$tmp/files")
if cmp -s "$tmp/before" "$tmp/after"; then
	echo "identical: $n files, $rev vs working tree"
else
	diff "$tmp/before" "$tmp/after" | head -40
	echo "DIFFERENT: $(diff "$tmp/before" "$tmp/after" | grep -c '^>') of $n lines"
	exit 1
fi
