// The schema and the migrations agree: drizzle-kit, asked to generate a migration from db/schema into a copy of
// db/migrations, finds nothing to do. A schema change committed without its migration fails here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("db/schema and db/migrations", () => {
  it("agree: generating a migration produces none", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "se-migrations-"));
    fs.cpSync(path.join(__dirname, "migrations"), out, { recursive: true });
    const before = fs.readdirSync(out).sort();
    const root = path.join(__dirname, "..");
    // drizzle-kit takes the folder relative to the project (it prefixes "./").
    const run = spawnSync(process.execPath, [path.join(root, "node_modules", "drizzle-kit", "bin.cjs"), "generate", "--dialect=sqlite", "--schema=./db/schema/index.ts", `--out=${path.relative(root, out)}`], {
      cwd: root,
      encoding: "utf8",
    });
    const printed = `${run.stdout}${run.stderr}`;
    expect(fs.readdirSync(out).sort(), printed).toEqual(before);
    expect(printed).toContain("No schema changes");
  });
});
