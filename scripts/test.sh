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
exec node --import tsx --test --test-reporter=spec "$@" "${files[@]}"
