// `npm run bench:console`: every console page's server time with 100,000 messages in the log (and 10,000 members,
// 20,000 verification sessions, suppression and audit entries), against the same pages of a second server with an
// empty database, measured in the same run, interleaved. Both are the production build in their own processes.
// Target: each page under 300 ms at that size. Prints median and p90 per page, and the CSV export of 100,000 rows.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import fs from "node:fs";
import { checkpointAndClose, openDatabase } from "@/db/client";
import { eq } from "drizzle-orm";
import { jobRuns, outbox, verificationSessions, members, sessions, twoFactor } from "@/db/schema";
import { buildIfNeeded } from "@/scripts/build-if-needed.mjs";
import { seedConsole } from "./lib/console-seed";
import { freePort, table, tempDir, until } from "./lib/processes";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const TARGET_MS = 300;
const ADMIN = { email: "bench-admin@example.com", password: "bench admin passphrase" };

type Server = { url: string; process: ChildProcess; cookie: string };

async function start(dataDir: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "error", DATA_DIR: dataDir, APP_URL: url, PORT: String(port), HOST: "127.0.0.1" };
  const child = spawn(process.execPath, [path.join("scripts", "serve.mjs")], { env, stdio: ["ignore", "ignore", "inherit"] });
  let up = false;
  const probe = setInterval(() => void fetch(`${url}/api/health`).then((r) => (up = r.ok), () => undefined), 200);
  await until(() => up, 120_000, "the app to answer /api/health");
  clearInterval(probe);
  return { url, process: child, cookie: await signIn(url, dataDir) };
}

/** Signs in through Auth.js's own endpoint, as the sign-in form does, and returns the session cookie. */
async function signIn(url: string, dataDir: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (r: Response) => r.headers.getSetCookie().forEach((c) => jar.set(c.split("=")[0]!, c.split(";")[0]!));
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, cookie: [...jar.values()].join("; ") },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, csrfToken }),
  });
  keep(res);
  const cookie = [...jar.values()].join("; ");
  // Admin features need two-factor (lib/auth/admin.ts): mark the bench admin's sessions as having passed it, as a
  // sign-in with the authenticator app would. Sign-in itself is not what is measured here.
  passSecondFactor(path.join(dataDir, "app.db"));
  const check = await fetch(`${url}/admin`, { headers: { cookie }, redirect: "manual" });
  if (check.status !== 200) throw new Error(`signing in as the bench admin failed (${check.status})`);
  return cookie;
}

function passSecondFactor(file: string): void {
  const db = openDatabase(file);
  const admin = db.select({ id: members.id }).from(members).where(eq(members.email, ADMIN.email)).get()!;
  db.insert(twoFactor).values({ memberId: admin.id, totpSecret: "bench: never used to check a code", totpEnabledAt: new Date() }).onConflictDoNothing().run();
  db.update(sessions).set({ secondFactor: "totp" }).where(eq(sessions.memberId, admin.id)).run();
  checkpointAndClose(db);
}

async function timed(server: Server, page: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${server.url}${page}`, { headers: { cookie: server.cookie }, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
  return performance.now() - t;
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function main() {
  const seededDir = tempDir("bench-console-");
  const emptyDir = tempDir("bench-console-empty-");
  const passwordHash = await hash(ADMIN.password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const seeded = openDatabase(path.join(seededDir, "app.db"));
  const empty = openDatabase(path.join(emptyDir, "app.db"));
  const t0 = performance.now();
  seedConsole(seeded, { messages: MESSAGES, members: MESSAGES / 10, sessions: MESSAGES / 5 }, { email: ADMIN.email, passwordHash });
  seedConsole(empty, { messages: 0, members: 0, sessions: 0 }, { email: ADMIN.email, passwordHash });
  // The daily retention job is not what is measured here: mark it as just run so it does not start during the bench.
  for (const db of [seeded, empty]) db.insert(jobRuns).values({ name: "retention", lastStartedAt: new Date(), lastFinishedAt: new Date(), lastOk: true, lastTrigger: "bench" }).run();
  const seedSeconds = (performance.now() - t0) / 1000;
  const someMessage = seeded.select({ id: outbox.id }).from(outbox).limit(1).get()!.id;
  const someSession = seeded.select({ id: verificationSessions.id }).from(verificationSessions).limit(1).get()!.id;
  const someMember = seeded.select({ id: members.id }).from(members).limit(1).offset(5).get()!.id;
  const month = new Date().toISOString().slice(0, 7);
  // A bulk load leaves a large write-ahead log: fold it in now, not in the middle of the servers' requests.
  checkpointAndClose(seeded);
  checkpointAndClose(empty);

  buildIfNeeded();
  const [big, small] = await Promise.all([start(seededDir), start(emptyDir)]);
  try {
    const pages: [string, string, string][] = [
      ["overview", "/admin", "/admin"],
      ["integrations", "/admin/integrations", "/admin/integrations"],
      ["messages", "/admin/messages", "/admin/messages"],
      ["messages: failed SMS this month", `/admin/messages?status=failed&channel=SMS&from=${month}-01`, `/admin/messages?status=failed&channel=SMS&from=${month}-01`],
      ["messages: page 500", "/admin/messages?page=500", "/admin/messages"],
      ["messages: one member", `/admin/messages?member=${someMember}`, "/admin/messages"],
      ["message", `/admin/messages/${someMessage}`, "/admin/messages"],
      ["verifications", "/admin/verifications", "/admin/verifications"],
      ["verification session", `/admin/verifications/${encodeURIComponent(someSession)}`, "/admin/verifications"],
      ["usage and budget", "/admin/usage", "/admin/usage"],
      ["suppression lists: search", "/admin/suppressions?q=7400", "/admin/suppressions?q=7400"],
      ["members", "/admin/members", "/admin/members"],
      ["members: search", "/admin/members?q=member12", "/admin/members?q=member12"],
      ["member", `/admin/members/${someMember}`, "/admin/members"],
      ["audit log", "/admin/audit", "/admin/audit"],
      ["credentials", "/admin/credentials", "/admin/credentials"],
      ["privacy", "/admin/privacy", "/admin/privacy"],
    ];
    // Warm every page on both servers (compilation caches, the doctor's first run, SQLite's page cache).
    for (const [, b, s] of pages) for (let i = 0; i < 2; i++) await Promise.all([timed(big, b), timed(small, s)]);
    const times = new Map(pages.map(([name]) => [name, { big: [] as number[], small: [] as number[] }]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, b, s] of pages) {
        times.get(name)!.big.push(await timed(big, b));
        times.get(name)!.small.push(await timed(small, s));
      }
    }
    const rows: (string | number)[][] = [["page", `median ms (${MESSAGES / 1000}k)`, "p90 ms", "median ms (empty)", "ratio", `< ${TARGET_MS} ms`]];
    let slow = 0;
    for (const [name] of pages) {
      const t = times.get(name)!;
      const m = pct(t.big, 0.5);
      if (m >= TARGET_MS) slow++;
      rows.push([name, m.toFixed(1), pct(t.big, 0.9).toFixed(1), pct(t.small, 0.5).toFixed(1), (m / pct(t.small, 0.5)).toFixed(2), m < TARGET_MS ? "yes" : "NO"]);
    }
    const exportStart = performance.now();
    const csv = await (await fetch(`${big.url}/api/admin/messages/export`, { headers: { cookie: big.cookie } })).text();
    const exportMs = performance.now() - exportStart;
    console.log(`\nbench:console  ${MESSAGES.toLocaleString("en-GB")} messages seeded in ${seedSeconds.toFixed(1)} s; ${ROUNDS} interleaved rounds per page after 2 warm-ups, production build, one server per database`);
    console.log(table(rows));
    console.log(`  CSV export of every message: ${(csv.split("\r\n").length - 2).toLocaleString("en-GB")} rows, ${(csv.length / 1e6).toFixed(1)} MB in ${exportMs.toFixed(0)} ms`);
    console.log(`  pages at or over ${TARGET_MS} ms: ${slow} (target 0)`);
    process.exitCode = slow ? 1 : 0;
  } finally {
    big.process.kill("SIGTERM");
    small.process.kill("SIGTERM");
    await Promise.all([big, small].map((s) => new Promise((resolve) => (s.process.exitCode === null ? s.process.once("exit", resolve) : resolve(null)))));
    for (const dir of [seededDir, emptyDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
