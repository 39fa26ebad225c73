// The operator scripts faced with an unusable database path: one plain line and a failing exit code, never a stack trace.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-path-"));
const notADir = path.join(dir, "a-file");
fs.writeFileSync(notADir, "");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", `scripts/${script}`, ...args], {
    encoding: "utf8",
    // A database "inside" a regular file: mkdir fails with ENOTDIR, as a mistyped DATABASE_URL or DATA_DIR would.
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: `file:${notADir}/sub/app.db`, LOG_LEVEL: "silent", PORT: "1" },
    timeout: 60_000,
  });

describe("an unusable DATABASE_URL", () => {
  it("npm run db:migrate says which file it cannot open and what to check, exit 1, no stack trace", () => {
    const result = run("migrate.ts");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Cannot open the database ${notADir}/sub/app.db: ENOTDIR`);
    expect(result.stderr).toContain("check DATABASE_URL / DATA_DIR");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("npm run doctor reports it as FAIL lines and still runs every other check, exit 1, no crash", () => {
    const result = run("doctor.ts");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}database {2}Cannot open the database/);
    expect(result.stdout).toMatch(/FAIL {2}twilio {2}could not run: Cannot open the database/);
    expect(result.stdout).toMatch(/\d+ passed, \d+ warnings, 2 failed/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
