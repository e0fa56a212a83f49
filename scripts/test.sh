#!/usr/bin/env bash
# Runs every test: C++ unit tests (GoogleTest), then the API, client and browser tests under
# `node --test` against the real binary (SQLite and a throwaway PostgreSQL the tests start).
# Prints one closing line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SX_BINARY=$root/build/shuxiang
export SX_YJS_CLI=$root/build/sx_yjs_cli
out=$(mktemp -d)

(cd tests && { [ -f node_modules/.sx-lock ] && cmp -s package-lock.json node_modules/.sx-lock; } \
  || { npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.sx-lock; }) || exit 1

echo "== unit tests (GoogleTest)"
./build/sx_tests --gtest_brief=1 2>&1 | tee "$out/unit.txt"
unit_rc=${PIPESTATUS[0]}
unit_pass=$(grep -oP '\[  PASSED  \] \K[0-9]+' "$out/unit.txt" | tail -1)
unit_fail=$(grep -oP '\[  FAILED  \] \K[0-9]+(?= test)' "$out/unit.txt" | tail -1)

echo "== API, client and browser tests (node --test)"
files=$(ls tests/api/*.test.mjs tests/clients/*.test.mjs tests/e2e/*.test.mjs tests/modules/*/*.test.mjs 2>/dev/null)
node --test --test-concurrency=2 --test-reporter=spec $files 2>&1 | tee "$out/node.txt"
node_rc=${PIPESTATUS[0]}
node_pass=$(grep -oP '^ℹ pass \K[0-9]+' "$out/node.txt" | tail -1)
node_fail=$(grep -oP '^ℹ fail \K[0-9]+' "$out/node.txt" | tail -1)

pass=$(( ${unit_pass:-0} + ${node_pass:-0} ))
fail=$(( ${unit_fail:-0} + ${node_fail:-0} ))
if [ "$unit_rc" != 0 ] || [ "$node_rc" != 0 ]; then [ "$fail" = 0 ] && fail=1; fi
rm -rf "$out"
echo "tests: $pass passed, $fail failed"
[ "$fail" = 0 ]
