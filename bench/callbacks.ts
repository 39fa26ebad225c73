// `npm run bench:callbacks`: 5,000 sent SMS and, for each, 4 signed Twilio status callbacks (sent, the final status,
// that final status again, a late "sent"), all shuffled, fired over HTTP at the production build of the app running
// in a separate process (built first when the sources changed), then as many requests at a trivial route for a
// baseline in the same run. Prints req/s and latency for both, 5xx answers (target 0) and correct final statuses
// (target 100%). A tenth of the messages end undelivered with 30003.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { members, outbox, smokeSignals } from "@/db/schema";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { TWILIO_STATUS_CALLBACK_PATH as STATUS_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import { signTwilioRequest } from "@/lib/twilio/webhook";
import { buildIfNeeded } from "@/scripts/start";
import { freePort, table, tempDir, until } from "./lib/processes";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

type Req = { url: string; init: RequestInit };

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

type Stats = { latencies: number[]; seconds: number; non200: number; errors5xx: number; count: number };

async function fire(reqs: Req[], stats: Stats): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < reqs.length) {
        const r = reqs[next++]!;
        const t = performance.now();
        const res = await fetch(r.url, r.init);
        await res.arrayBuffer();
        stats.latencies.push(performance.now() - t);
        if (res.status !== 200) stats.non200++;
        if (res.status >= 500) stats.errors5xx++;
      }
    }),
  );
  stats.seconds += (performance.now() - started) / 1000;
  stats.count += reqs.length;
}

function summary(s: Stats) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { rps: s.count / s.seconds, p50: pct(0.5), p99: pct(0.99) };
}

async function main() {
  const dataDir = tempDir("bench-callbacks-");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const { twilio } = loadSandboxSecrets(dataDir);
  const db = openDatabase(path.join(dataDir, "app.db"));

  // Sent messages as the outbox leaves them: each with Twilio's sid, waiting for its callbacks.
  const member = db.insert(members).values({ email: "bench@example.com", passwordHash: "x" }).returning().get();
  const plan: { signalId: string; sid: string; fails: boolean }[] = [];
  db.$client.transaction(() => {
    for (let i = 0; i < MESSAGES; i++) {
      const sid = `SM${randomBytes(16).toString("hex")}`;
      const signal = db
        .insert(smokeSignals)
        .values({ senderId: member.id, recipient: `+447400${String(100000 + i)}`, channel: "SMS", message: "bench", joinToken: randomBytes(16).toString("base64url"), consent: "ui", providerSid: sid, providerStatus: "queued" })
        .returning()
        .get();
      db.insert(outbox).values({ channel: "SMS", recipient: signal.recipient, body: `bench ${i}`, purpose: "smoke_signal", ownerId: signal.id, fairnessKey: `member:${member.id}`, state: "sent", providerId: sid, providerStatus: "queued" }).run();
      plan.push({ signalId: signal.id, sid, fails: i % 10 === 0 });
    }
  })();

  buildIfNeeded();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "error", DATA_DIR: dataDir, APP_URL: appUrl, PORT: String(port), HOST: "127.0.0.1" };
  const server = spawn(process.execPath, [path.join("scripts", "serve.mjs")], { env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    let up = false;
    const probe = setInterval(() => void fetch(`${appUrl}/api/health`).then((r) => (up = r.ok), () => undefined), 200);
    await until(() => up, 120_000, "the app to answer /api/health");
    clearInterval(probe);

    const callbacks: Req[] = [];
    for (const p of plan) {
      // Every step, the final one again, and a late "sent" after it: duplicated and, once shuffled, out of order.
      const steps = p.fails ? ["sent", "undelivered", "undelivered", "sent"] : ["sent", "delivered", "delivered", "sent"];
      for (const status of steps) {
        const params: Record<string, string> = { MessageSid: p.sid, SmsSid: p.sid, MessageStatus: status, SmsStatus: status, AccountSid: twilio.accountSid, To: "+447700900000", From: "+15005550006", ApiVersion: "2010-04-01" };
        if (status === "undelivered") params.ErrorCode = "30003";
        const signature = signTwilioRequest(twilio.authToken, `${appUrl}${STATUS_CALLBACK_PATH}`, params);
        callbacks.push({
          url: `${appUrl}${STATUS_CALLBACK_PATH}`,
          init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params).toString() },
        });
      }
    }
    shuffle(callbacks);
    const trivial: Req[] = callbacks.map(() => ({ url: `${appUrl}/api/health`, init: { method: "GET" } }));
    // Warm both routes so neither pays for first-request compilation or connection set-up.
    await fire(trivial.slice(0, 200), { latencies: [], seconds: 0, non200: 0, errors5xx: 0, count: 0 });
    // Interleaved rounds, so a busy moment on a shared machine weighs on both routes alike.
    const ROUNDS = 8;
    const cb: Stats = { latencies: [], seconds: 0, non200: 0, errors5xx: 0, count: 0 };
    const tr: Stats = { latencies: [], seconds: 0, non200: 0, errors5xx: 0, count: 0 };
    const size = Math.ceil(callbacks.length / ROUNDS);
    for (let i = 0; i < ROUNDS; i++) {
      await fire(callbacks.slice(i * size, (i + 1) * size), cb);
      await fire(trivial.slice(i * size, (i + 1) * size), tr);
    }
    const rows = db.select({ id: smokeSignals.id, status: smokeSignals.status, errorCode: smokeSignals.errorCode }).from(smokeSignals).where(inArray(smokeSignals.id, plan.map((p) => p.signalId))).all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const wrong = plan.filter((p) => {
      const r = byId.get(p.signalId);
      return p.fails ? r?.status !== "Failed" || r.errorCode !== 30003 : r?.status !== "Delivered";
    }).length;
    const c = summary(cb);
    const t = summary(tr);
    const fmt = (n: number) => n.toFixed(1);
    console.log(`\nbench:callbacks  ${MESSAGES} messages x 4 callbacks = ${callbacks.length} signed requests, shuffled, ${CONCURRENCY} concurrent, at the production build in a separate process`);
    console.log(
      table([
        ["route", "req/s", "p50 ms", "p99 ms", "non-200", "5xx"],
        ["status callback", fmt(c.rps), fmt(c.p50), fmt(c.p99), cb.non200, cb.errors5xx],
        ["baseline: GET /api/health", fmt(t.rps), fmt(t.p50), fmt(t.p99), tr.non200, tr.errors5xx],
      ]),
    );
    console.log(`  throughput ratio  ${(c.rps / t.rps).toFixed(2)} of the trivial route`);
    console.log(`  final statuses    ${plan.length - wrong} of ${plan.length} correct = ${((100 * (plan.length - wrong)) / plan.length).toFixed(1)}% (target 100%; ${plan.filter((p) => p.fails).length} Failed with 30003)`);
    console.log(`  5xx answers       ${cb.errors5xx} (target 0)`);
    process.exitCode = wrong || cb.errors5xx ? 1 : 0;
  } finally {
    server.kill("SIGTERM");
  }
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
