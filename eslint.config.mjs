import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Tests wait for the condition they need (lib/testing/until, expect.poll, Playwright's expect), never for a fixed
    // time: a fixed sleep is either too short on a slow machine or wasted on a fast one. A fake provider may still
    // answer slowly on purpose (say so in an eslint-disable comment).
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Promise'] CallExpression[callee.name='setTimeout']", message: "No fixed sleeps in tests: wait for the condition (until, expect.poll)." },
        { selector: "CallExpression[callee.property.name='waitForTimeout']", message: "No fixed sleeps in tests: wait for the condition (Playwright's expect)." },
        { selector: "ImportDeclaration[source.value=/timers\\u002Fpromises$/]", message: "No fixed sleeps in tests: wait for the condition (until, expect.poll)." },
      ],
    },
  },
  globalIgnores([".next/**", "bench/minimal/.next/**", ".next-*/**", "node_modules/**", "data/**", ".e2e-data/**", ".e2e-data-*/**", ".test-data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"]),
]);
