import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      { find: /^server-only$/, replacement: `${root}lib/testing/server-only.ts` },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "proxy.test.ts"],
    environment: "node",
    // Worker threads start and load modules faster than forked processes: 70 s instead of 85 s on 2 cores. No test
    // changes the working directory (which a thread may not).
    pool: "threads",
    // Vitest's default in a run is one worker fewer than the cores: one worker on a 2-core machine, which leaves a core
    // idle while files wait on their servers and databases. Every core: the suite takes about 70 s instead of 120 s.
    // Files share nothing that would race (each opens its own databases, folders and ports; the sandbox secrets file
    // is created race-safely).
    maxWorkers: os.availableParallelism(),
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses: let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DATA_DIR: code that reads the configuration (password hashing reads its concurrency) gets sandbox secrets in a
    // temporary folder, never in the checkout's data/; tests that need their own set DATA_DIR themselves.
    env: { NODE_ENV: "test", LOG_LEVEL: "silent", NEXT_TELEMETRY_DISABLED: "1", DATA_DIR: path.join(os.tmpdir(), `se-vitest-${process.pid}`) },
  },
});
