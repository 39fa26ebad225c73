// Benchmark plumbing: child processes (a Twilio emulator, an app worker) started with tsx, waited for by their first
// JSON line, and stopped; free ports; a read-only look into a child's database; small formatting helpers.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import Database from "better-sqlite3";

export type Child = { process: ChildProcess; info: Record<string, unknown>; stop: () => Promise<void>; kill: () => Promise<void> };

/** Starts `script` (TypeScript) in its own Node process and resolves with the first JSON line it prints. */
export function startChild(script: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "error", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      try {
        resolve({ process: child, info: JSON.parse(line) as Record<string, unknown>, stop, kill });
      } catch {
        reject(new Error(`${script} printed ${line}`));
      }
    });
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
}

export const newAccount = () => ({ accountSid: `AC${randomBytes(16).toString("hex")}`, authToken: randomBytes(16).toString("hex") });

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type EmulatorConfig = {
  accountSid: string;
  authToken: string;
  mps: number;
  faults?: string;
  delays?: { acceptedMs: number; queuedMs: number; sentMs: number };
  maxConcurrentRequests?: number;
};

/**
 * A Twilio emulator in a separate process with its own database (`dbPath`, else a new one in a folder of its own);
 * `db()` opens that database read-only.
 */
export async function startEmulator(config: EmulatorConfig, dbPath?: string) {
  const dir = tempDir("bench-emulator-");
  dbPath ??= path.join(dir, "emulator.db");
  const statsPath = path.join(dir, "injected.json");
  const child = await startChild(path.join("bench", "lib", "emulator-process.ts"), { BENCH_EMULATOR: JSON.stringify({ ...config, dbPath, statsPath }) });
  let injected: Record<string, number> = {};
  return {
    url: child.info.url as string,
    db: () => new Database(dbPath, { readonly: true, fileMustExist: true }),
    /** The faults it injected (known once stopped). */
    injected: () => injected,
    stop: async () => {
      await child.stop();
      if (fs.existsSync(statsPath)) injected = JSON.parse(fs.readFileSync(statsPath, "utf8")) as Record<string, number>;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function until(fn: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fixed-width table rows for the printed figures. */
export function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join("   ")}`).join("\n");
}
