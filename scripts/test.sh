#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit/integration tests (vitest), then end-to-end tests (Playwright, Debian Chromium)
# against a production build; ends with one summary line of counts.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p .test-reports
rm -f .test-reports/*.json

echo "== lint"; npm run -s lint
echo "== typecheck"; npx tsc --noEmit
echo "== unit and integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json
echo "== end to end (playwright)"
bash scripts/ensure-chromium.sh
npx playwright test
node scripts/test-summary.mjs
