import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "user-create-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/user-create.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
  });

describe("npm run user:create", () => {
  it("answers a mistyped option with the usage and exit code 2, not a stack trace", () => {
    const result = run("--email", "someone@example.com", "--Admin");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--Admin'");
    expect(result.stdout).toContain("Usage: npm run user:create");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
