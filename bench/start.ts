// `npm run bench:start`: restarts of the built app with `npm start` exactly as the README says, and of the baseline
// (bench/minimal, a bare Next app of the same version) with its own `next start`, interleaved. For each: the time
// from launch to the first 200 (the app's /api/health, the baseline's one route), the resident memory of every
// process the command left running (npm, sh, any launcher, the server) once it answered, and whether Ctrl-C (SIGINT
// to the process group, as a terminal sends it) stops all of them. Targets: the app <= 200 MB in all, <= 2 s.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { treeMemory, processTree, type ProcessMemory } from "./lib/memory";
import { freePort, table, tempDir } from "./lib/processes";
import { buildBoth, firstOk, MINIMAL_DIR } from "./lib/servers";

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const TARGET = { rssMb: 200, firstOkMs: 2000 };
const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

type Run = { firstOkMs: number; memory: ProcessMemory[]; stopMs: number; leftOver: number };

/** Launches `command` in its own process group, times its first 200 at `url`, reads its memory, then Ctrl-C. */
async function run(command: string, args: string[], opts: { cwd: string; env: Record<string, string | undefined>; url: string }): Promise<Run> {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, detached: true, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstOkMs = await firstOk(opts.url, child);
  const memory = treeMemory(child.pid!);
  const pids = processTree(child.pid!);
  const stopping = performance.now();
  process.kill(-child.pid!, "SIGINT");
  await exited;
  // The command is gone; wait (bounded) for everything it started to be gone too.
  const alive = () => pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  const deadline = performance.now() + 10_000;
  while (alive().length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const stopMs = performance.now() - stopping;
  const leftOver = alive();
  for (const pid of leftOver) process.kill(pid, "SIGKILL");
  return { firstOkMs, memory, stopMs, leftOver: leftOver.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const total = (m: ProcessMemory[]) => m.reduce((s, p) => s + p.rssMb, 0);

async function main() {
  const load = os.loadavg()[0]!;
  buildBoth();
  const dataDir = tempDir("bench-start-");
  const [port, minimalPort] = [await freePort(), await freePort()];
  // As from a terminal: npm and Next set NODE_ENV themselves.
  const base: Record<string, string | undefined> = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_ENV")), NEXT_TELEMETRY_DISABLED: "1" };
  const app = () =>
    run("npm", ["start"], { cwd: process.cwd(), env: { ...base, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn" }, url: `http://127.0.0.1:${port}/api/health` });
  const minimal = () =>
    run(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(minimalPort)], {
      cwd: MINIMAL_DIR,
      env: { ...base, BENCH_MINIMAL_DB: path.join(dataDir, "minimal.db") },
      url: `http://127.0.0.1:${minimalPort}/api/select`,
    });

  // The first start creates the database and the sandbox's demo accounts: not a restart, not counted.
  await app();
  await minimal();
  const runs = { app: [] as Run[], minimal: [] as Run[] };
  for (let i = 0; i < RESTARTS; i++) {
    runs.app.push(await app());
    runs.minimal.push(await minimal());
  }

  const row = (name: string, rs: Run[]) => {
    const m = rs.map((r) => total(r.memory));
    return [name, `${(median(rs.map((r) => r.firstOkMs)) / 1000).toFixed(2)} s`, `${(Math.max(...rs.map((r) => r.firstOkMs)) / 1000).toFixed(2)} s`, `${median(m).toFixed(0)} MB`, `${Math.max(...m).toFixed(0)} MB`, rs[0]!.memory.length, `${median(rs.map((r) => r.stopMs)).toFixed(0)} ms`, rs.reduce((s, r) => s + r.leftOver, 0)];
  };
  console.log(`\nbench:start  ${RESTARTS} restarts each of a built app, interleaved; load average ${load.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end (${os.cpus().length} cores)`);
  console.log(
    table([
      ["command", "first 200 (median)", "(max)", "RSS of all its processes (median)", "(max)", "processes", "Ctrl-C to all gone", "left running"],
      row("npm start (this app)", runs.app),
      row("baseline: next start (bare Next app)", runs.minimal),
    ]),
  );
  const last = runs.app.at(-1)!;
  console.log(`  npm start's processes (last run): ${last.memory.map((p) => `${p.name} ${p.rssMb.toFixed(0)} MB`).join("; ")}`);
  const rss = median(runs.app.map((r) => total(r.memory)));
  const firstOkMs = median(runs.app.map((r) => r.firstOkMs));
  const mark = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(`  memory      ${rss.toFixed(0)} MB, ${(rss / median(runs.minimal.map((r) => total(r.memory)))).toFixed(2)}x the baseline (target <= ${TARGET.rssMb} MB): ${mark(rss <= TARGET.rssMb)}`);
  console.log(`  first 200   ${(firstOkMs / 1000).toFixed(2)} s, ${(firstOkMs / median(runs.minimal.map((r) => r.firstOkMs))).toFixed(2)}x the baseline (target <= ${TARGET.firstOkMs / 1000} s): ${mark(firstOkMs <= TARGET.firstOkMs)}`);
  const left = runs.app.reduce((s, r) => s + r.leftOver, 0);
  console.log(`  Ctrl-C      ${left ? `${left} processes were still running 10 s later` : "stopped every process"}`);
  process.exitCode = left ? 1 : 0;
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
