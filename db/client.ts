// Opens the SQLite database on first use (never at import), sets its pragmas and applies pending migrations.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { remember } from "@epic-web/remember";
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

// Per connection: one transaction runner and each prepared query built once. Building either on every call costs
// more than the work itself on the outbox's hot path (measured: a third of the dispatcher's CPU).
const runners = new WeakMap<Database.Database, Database.Transaction<(fn: () => unknown) => unknown>>();

/** Runs `fn` in a transaction (a savepoint when one is already open); for writes that must land together. */
export function transaction<T>(db: Db, fn: () => T): T {
  return runner(db)(fn) as T;
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock at once, so two processes never interleave). */
export function immediate<T>(db: Db, fn: () => T): T {
  return runner(db).immediate(fn) as T;
}

function runner(db: Db) {
  let run = runners.get(db.$client);
  if (!run) runners.set(db.$client, (run = db.$client.transaction((f: () => unknown) => f())));
  return run;
}

const batches = new WeakMap<Database.Database, { jobs: { fn: () => void; done: (error?: unknown) => void }[] }>();

/**
 * Group commit: runs `fn` in a transaction shared with the other work queued in the same turn of the event loop, and
 * resolves with what `fn` returned once that transaction has committed. Each `fn` runs in its own savepoint, so one
 * failing rolls back only itself (its promise rejects). For hot paths where a commit per message costs more than the
 * work.
 */
export function commitSoon<T>(db: Db, fn: () => T): Promise<T> {
  let batch = batches.get(db.$client);
  if (!batch) {
    const fresh = { jobs: [] as { fn: () => void; done: (error?: unknown) => void }[] };
    batches.set(db.$client, (batch = fresh));
    setImmediate(() => {
      batches.delete(db.$client);
      const results: (unknown | undefined)[] = [];
      try {
        immediate(db, () => {
          // Alone in its transaction, a job needs no savepoint of its own: its failure rolls back only itself anyway.
          if (fresh.jobs.length === 1) return fresh.jobs[0]!.fn();
          for (const job of fresh.jobs) {
            try {
              transaction(db, job.fn);
              results.push(undefined);
            } catch (error) {
              results.push(error ?? new Error("failed"));
            }
          }
        });
        fresh.jobs.forEach((job, i) => job.done(results[i]));
      } catch (error) {
        fresh.jobs.forEach((job) => job.done(error ?? new Error("failed")));
      }
    });
  }
  let value: T;
  return new Promise((resolve, reject) =>
    batch.jobs.push({
      fn: () => {
        value = fn();
      },
      done: (error) => (error === undefined ? resolve(value) : reject(error)),
    }),
  );
}

/**
 * A query built with Drizzle's builder and prepared once per connection (`.prepare()` with `sql.placeholder`s):
 * `const byId = preparedQuery((db) => db.select().from(t).where(eq(t.id, sql.placeholder("id"))).prepare())`, then
 * `byId(db).get({ id })`. Rows are mapped by Drizzle from the table's columns. For queries that run per request or
 * per message, where building the query each time costs more than running it.
 */
export function preparedQuery<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const built = new WeakMap<Database.Database, Q>();
  return (db) => {
    let q = built.get(db.$client);
    if (!q) built.set(db.$client, (q = build(db)));
    return q;
  };
}

/**
 * The same for SQL the builder cannot express (an index hint, a window over a CTE): named and kept in its domain's
 * query module, prepared once per connection, with better-sqlite3's own parameters (`@name` or `?`).
 */
export function preparedSql<P extends unknown[] | object = unknown[], R = unknown>(text: string): (db: Db) => Database.Statement<P, R> {
  return preparedQuery((db) => db.$client.prepare<P, R>(text));
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
  // The write-ahead log is copied back into the database every 10,000 pages (about 40 MB) rather than SQLite's 1,000:
  // a page written many times between two checkpoints (the outbox's index pages, under a stream of status callbacks)
  // is copied once, which took a fifth off the CPU cost of applying a callback (bench/callbacks.ts). The file is cut
  // back to that size after a checkpoint.
  sqlite.pragma("wal_autocheckpoint = 10000");
  sqlite.pragma("journal_size_limit = 41943040");
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

/** This process's connection to the configured database: one per file, shared by every separately bundled route. */
export function getDb(): Db {
  const connections = remember("db.connections", () => new Map<string, Db>());
  const file = getEnv().databasePath;
  let db = connections.get(file);
  if (!db) connections.set(file, (db = openDatabase(file)));
  return db;
}

// drizzle-kit's own bookkeeping table, which has no Drizzle table definition.
const appliedMigrations = preparedSql<[], { n: number }>("select count(*) as n from __drizzle_migrations");

let expectedMigrations: number | undefined;

/** How many migrations this build ships, read from the journal once: it cannot change while the process runs. */
function expectedMigrationCount(): number {
  expectedMigrations ??= (JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;
  return expectedMigrations;
}

/** Whether the database answers and every migration has been applied: one prepared query, no file read (health). */
export function databaseStatus(db: Db = getDb()): { ok: boolean; applied: number; expected: number } {
  const expected = expectedMigrationCount();
  const row = appliedMigrations(db).get() as { n: number };
  return { ok: row.n === expected, applied: row.n, expected };
}
