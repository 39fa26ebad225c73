// A fresh, migrated SQLite database in a temporary folder, for tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Db } from "@/db/client";

export function tempDir(prefix = "se-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testDb(): Db {
  return openDatabase(path.join(tempDir(), "test.db"));
}
