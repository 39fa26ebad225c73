// `npm run bench:callbacks`: against a running production build, fire signed Twilio status callbacks (duplicates and
// shuffled order included) for messages it creates in the server's database, then the same load at a trivial route;
// prints req/s and p99 for both, their ratio (target >= 0.8) and whether every final status is right.
// Run with the server's own APP_URL and DATA_DIR, e.g.
//   APP_URL=http://127.0.0.1:3402 DATA_DIR=/tmp/messaging-data npm run bench:callbacks
import { randomBytes, randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { members, outbox, smokeSignals } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { signTwilioRequest } from "@/lib/twilio/webhook";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const env = getEnv();
const db = getDb();
const base = (process.env.BENCH_URL ?? env.appUrl).replace(/\/+$/, "");

type Req = { url: string; init: RequestInit };

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function setUp() {
  const member = db.insert(members).values({ email: `bench-${randomUUID().slice(0, 8)}@example.com`, passwordHash: "x" }).returning().get();
  const plan: { signalId: string; sid: string; fails: boolean }[] = [];
  db.$client.transaction(() => {
    for (let i = 0; i < MESSAGES; i++) {
      const sid = `SM${randomBytes(16).toString("hex")}`;
      const signal = db
        .insert(smokeSignals)
        .values({ senderId: member.id, recipient: `+4477009${String(i).padStart(5, "0")}`, channel: "SMS", message: "bench", joinToken: randomBytes(16).toString("base64url"), consent: "ui", providerSid: sid, providerStatus: "queued" })
        .returning()
        .get();
      db.insert(outbox).values({ channel: "SMS", recipient: signal.recipient, body: "bench", purpose: "smoke_signal", ownerId: signal.id, fairnessKey: `member:${member.id}`, state: "sent", providerId: sid, providerStatus: "queued" }).run();
      plan.push({ signalId: signal.id, sid, fails: i % 10 === 0 });
    }
  })();
  return plan;
}

function callbacks(plan: ReturnType<typeof setUp>): Req[] {
  const path = "/api/twilio/status-callback";
  const reqs: Req[] = [];
  for (const p of plan) {
    // Every step, a duplicate of the final one and a late "sent" after it.
    const steps = p.fails ? ["sent", "undelivered", "undelivered", "sent"] : ["sent", "delivered", "delivered", "sent"];
    for (const status of steps) {
      const params: Record<string, string> = { MessageSid: p.sid, SmsSid: p.sid, MessageStatus: status, SmsStatus: status, AccountSid: env.twilio.accountSid, To: "+447700900000", From: "+15005550006", ApiVersion: "2010-04-01" };
      if (status === "undelivered") params.ErrorCode = "30003";
      const signature = signTwilioRequest(env.twilio.authToken, `${env.appUrl}${path}`, params);
      reqs.push({ url: `${base}${path}`, init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params).toString() } });
    }
  }
  return shuffle(reqs);
}

type Stats = { latencies: number[]; seconds: number; errors: number; count: number };

async function fire(reqs: Req[], into?: Stats): Promise<Stats> {
  const stats = into ?? { latencies: [], seconds: 0, errors: 0, count: 0 };
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
        if (res.status !== 200) stats.errors++;
      }
    }),
  );
  stats.seconds += (performance.now() - started) / 1000;
  stats.count += reqs.length;
  return stats;
}

function summary(s: Stats) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { rps: s.count / s.seconds, p50: pct(0.5), p99: pct(0.99), errors: s.errors };
}

async function main() {
  const health = await fetch(`${base}/api/health`).catch(() => null);
  if (!health?.ok) throw new Error(`No server answers at ${base}/api/health: start the production build first (npm start) with the same APP_URL and DATA_DIR.`);
  const plan = setUp();
  const load = callbacks(plan);
  const trivial: Req[] = load.map(() => ({ url: `${base}/api/health`, init: { method: "GET" } }));
  // Warm both routes up so neither pays for first-request compilation or connection set-up.
  await fire(trivial.slice(0, 100));
  await fire(callbacks(setUp().slice(0, 25)));
  // Interleaved rounds, so a busy moment on a shared machine weighs on both routes alike.
  const ROUNDS = 8;
  const cbStats: Stats = { latencies: [], seconds: 0, errors: 0, count: 0 };
  const trStats: Stats = { latencies: [], seconds: 0, errors: 0, count: 0 };
  const size = Math.ceil(load.length / ROUNDS);
  for (let i = 0; i < ROUNDS; i++) {
    await fire(load.slice(i * size, (i + 1) * size), cbStats);
    await fire(trivial.slice(i * size, (i + 1) * size), trStats);
  }
  const cb = summary(cbStats);
  const tr = summary(trStats);
  const rows = db.select({ id: smokeSignals.id, status: smokeSignals.status, errorCode: smokeSignals.errorCode }).from(smokeSignals).where(inArray(smokeSignals.id, plan.map((p) => p.signalId))).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const wrong = plan.filter((p) => {
    const r = byId.get(p.signalId);
    return p.fails ? r?.status !== "Failed" || r.errorCode !== 30003 : r?.status !== "Delivered";
  }).length;
  const fmt = (n: number) => n.toFixed(1);
  console.log(`\nbench:callbacks  ${load.length} requests per route (${MESSAGES} messages, ${CONCURRENCY} concurrent) against ${base}`);
  console.log(`  status callback   ${fmt(cb.rps)} req/s   p50 ${fmt(cb.p50)} ms   p99 ${fmt(cb.p99)} ms   non-200: ${cb.errors}`);
  console.log(`  trivial (health)  ${fmt(tr.rps)} req/s   p50 ${fmt(tr.p50)} ms   p99 ${fmt(tr.p99)} ms   non-200: ${tr.errors}`);
  console.log(`  throughput ratio  ${(cb.rps / tr.rps).toFixed(2)}x (target >= 0.80)`);
  console.log(`  final statuses    ${plan.length - wrong} of ${plan.length} correct (${plan.filter((p) => p.fails).length} expected Failed with 30003)`);
  process.exit(wrong || cb.errors ? 1 : 0);
}

void main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
