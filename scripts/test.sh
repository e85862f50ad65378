#!/usr/bin/env bash
# Set everything up, then run the whole test suite with Node's test runner.
# Extra arguments are passed to `node --test` (e.g. --test-name-pattern=grid).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
# Type-check the library, benchmarks and tests (strict mode) before running anything.
npx --no-install tsc -p tsconfig.test.json
npx --no-install tsc -p labextension/tsconfig.test.json
mapfile -t files < <(find test labextension/test -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || { echo "no test files found" >&2; exit 1; }
export TF_CPP_MIN_LOG_LEVEL=2
mkdir -p test-artifacts
# Human-readable spec output on stdout, TAP into a file for the one-line summary below.
set +e
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=test-artifacts/results.tap "$@" "${files[@]}"
rc=$?
set -e
count() { grep -E "^# $1 [0-9]+$" test-artifacts/results.tap | tail -1 | awk '{print $3}'; }
echo "tests: $(count pass) passed, $(count fail) failed, $(count skipped) skipped"
exit $rc
