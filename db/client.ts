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

/**
 * A handle for work inside a transaction. better-sqlite3 transactions belong to the connection, so code inside one
 * uses the same handle; this type only says which operations such code needs.
 */
export type Tx = Pick<Db, "insert" | "select" | "update" | "delete">;

// Per connection: one transaction runner and one prepared statement per SQL text. Building either on every call
// costs more than the work itself on the outbox's hot path (measured: a third of the dispatcher's CPU).
const runners = new WeakMap<Database.Database, Database.Transaction<(fn: () => unknown) => unknown>>();
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock at once, so two processes never interleave). */
export function immediate<T>(db: Db, fn: () => T): T {
  let run = runners.get(db.$client);
  if (!run) runners.set(db.$client, (run = db.$client.transaction((f: () => unknown) => f())));
  return run.immediate(fn) as T;
}

const batches = new WeakMap<Database.Database, { jobs: { fn: () => void; done: (error?: unknown) => void }[] }>();

/**
 * Group commit: runs `fn` in a transaction shared with the other work queued in the same turn of the event loop, and
 * resolves once that transaction has committed. Each `fn` runs in its own savepoint, so one failing rolls back only
 * itself (its promise rejects). For hot paths where a commit per message costs more than the work.
 */
export function commitSoon(db: Db, fn: () => void): Promise<void> {
  let batch = batches.get(db.$client);
  if (!batch) {
    const fresh = { jobs: [] as { fn: () => void; done: (error?: unknown) => void }[] };
    batches.set(db.$client, (batch = fresh));
    setImmediate(() => {
      batches.delete(db.$client);
      const results: (unknown | undefined)[] = [];
      try {
        immediate(db, () => {
          for (const job of fresh.jobs) {
            try {
              db.$client.transaction(job.fn)();
              results.push(undefined);
            } catch (error) {
              results.push(error ?? new Error("failed"));
            }
          }
        });
        fresh.jobs.forEach((job, i) => job.done(results[i]));
      } catch (error) {
        fresh.jobs.forEach((job) => job.done(error));
      }
    });
  }
  return new Promise((resolve, reject) => batch.jobs.push({ fn, done: (error) => (error === undefined ? resolve() : reject(error)) }));
}

/** A prepared statement for `sql` on this connection, prepared once (for hot paths the query builder is too slow for). */
export function statement<P extends unknown[] | object = unknown[], R = unknown>(db: Db, sql: string): Database.Statement<P, R> {
  let cache = prepared.get(db.$client);
  if (!cache) prepared.set(db.$client, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.$client.prepare(sql)));
  return st as unknown as Database.Statement<P, R>;
}

/**
 * Writes the write-ahead log back into the database file and closes the connection: after a bulk load (benchmarks,
 * tools), so the server that opens the file next does not pay for checkpointing it in the middle of its requests.
 */
export function checkpointAndClose(db: Db): void {
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
}

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
