// The servers the speed benchmarks compare: this app's production build, served the way `npm start` serves it, and
// the baseline, a bare Next app of the same version under bench/minimal (one route: a SQLite `select 1`), built
// into its own folder and served by its own `next start`.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";

export const MINIMAL_DIR = path.resolve("bench", "minimal");
const MINIMAL_INPUTS = ["app", "next.config.mjs", "instrumentation.js", "../../package-lock.json"];
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

/** Builds this app and the baseline app when their sources changed since their last builds. */
export function buildBoth(): void {
  buildIfNeeded();
  buildIfNeeded({ dir: MINIMAL_DIR, inputs: MINIMAL_INPUTS, distDir: ".next" });
}

export type Server = { url: string; process: ChildProcess; stop: () => Promise<void> };

function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
}

/** Resolves once `url` answers 200; rejects when `child` exits first or after `timeoutMs`. */
export async function firstOk(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server for ${url} exited (${child.exitCode ?? child.signalCode}) before answering`);
    const ok = await fetch(url).then((r) => r.arrayBuffer().then(() => r.status === 200), () => false);
    if (ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${url} to answer 200`);
}

/**
 * This app's production build served by `npm start` itself (npm and the server it runs, in their own process group;
 * the build must be current). BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", flags Node refuses in
 * NODE_OPTIONS) runs the server's script under `node` with those flags instead, without npm in front.
 */
export async function startApp(env: Record<string, string> & { PORT: string }): Promise<Server> {
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(/\s+/).filter(Boolean);
  const [command, args] = nodeArgs?.length ? [process.execPath, [...nodeArgs, "scripts/start.mjs"]] : ["npm", ["start", "--silent"]];
  const child = spawn(command, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "error", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    // Ctrl-C as a terminal sends it: the whole group.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGINT");
    await exited;
  };
  await firstOk(`${url}/api/health`, child).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, process: child, stop };
}

/** The baseline app under its own `next start` (the build must exist); its route opens `dbPath`. */
export async function startMinimal(port: number, dbPath: string): Promise<Server> {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: MINIMAL_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BENCH_MINIMAL_DB: dbPath, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await firstOk(`${url}/api/select`, child);
  return { url, process: child, stop: stopper(child) };
}
