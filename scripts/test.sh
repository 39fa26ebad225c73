#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit/integration tests (vitest), then end-to-end tests (Playwright, Debian Chromium)
# against a production build; ends with one summary line of counts.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .test-reports
rm -f .test-reports/*.json

# ESLint, knip and tsc each use one core: side by side, each printing its output when done; any failure stops here.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
check() { local name=$1; shift; ("$@" >"$logs/$name" 2>&1; echo $? >"$logs/$name.rc") & }
check eslint npm run -s lint:eslint
check knip npm run -s lint:knip
check typecheck npx tsc --noEmit
wait
failed=0
for name in eslint knip typecheck; do
  echo "== $name"; cat "$logs/$name"
  [[ $(cat "$logs/$name.rc") == 0 ]] || { echo "$name failed"; failed=1; }
done
[[ $failed == 0 ]] || exit 1
# Types are checked: the e2e server's `next build` need not check them again (next.config.ts).
export SKIP_BUILD_TYPECHECK=1

echo "== unit and integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json
echo "== end to end (playwright)"
bash scripts/ensure-chromium.sh
npx playwright test
node scripts/test-summary.mjs
