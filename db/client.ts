// Opens the SQLite database on first use (never at import), sets its pragmas and applies pending migrations.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getEnv } from "@/lib/env";
import * as schema from "./schema/index";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = path.join(process.cwd(), "db", "migrations");

/** The database file cannot be created or opened: an operator's path or permission problem, said in one line. */
export class DatabaseOpenError extends Error {
  constructor(file: string, cause: unknown) {
    super(`Cannot open the database ${file}: ${(cause as Error)?.message ?? String(cause)} (check DATABASE_URL / DATA_DIR and the folder's permissions)`);
    this.name = "DatabaseOpenError";
  }
}

/**
 * The database holds password hashes, sessions and members' contacts: its folder is created 0700 and its files are
 * 0600. SQLite gives the -wal and -shm files the database file's permissions, so the file is created 0600 first.
 */
function preparePrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (error) {
      // Absent (-wal/-shm before the first write), or not ours to change: nothing to tighten.
      if (!["ENOENT", "EPERM"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    }
  }
}

export function openDatabase(file: string): Db {
  let sqlite: Database.Database;
  try {
    preparePrivateFile(file);
    sqlite = new Database(file);
  } catch (error) {
    throw new DatabaseOpenError(file, error);
  }
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

// Kept on globalThis: Next bundles route handlers separately, and they must share one connection per process.
const holder = globalThis as unknown as { __seDb?: { file: string; db: Db } };

export function getDb(): Db {
  const file = getEnv().databasePath;
  if (!holder.__seDb || holder.__seDb.file !== file) holder.__seDb = { file, db: openDatabase(file) };
  return holder.__seDb.db;
}

/** Whether the database answers and every migration has been applied. */
export function databaseStatus(db: Db = getDb()): { ok: boolean; applied: number; expected: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  const row = db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
  return { ok: row.n === journal.entries.length, applied: row.n, expected: journal.entries.length };
}
