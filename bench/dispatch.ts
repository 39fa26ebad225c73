// `npm run bench:dispatch`: the outbox sending SMS to a Twilio emulator running in a separate process over real HTTP
// (the emulator queues beyond the sender's rate, as Twilio does). Prints, side by side:
// - 2,000 SMS at TWILIO_MPS=200: achieved rate against configured (target >= 0.95), lost and sent twice (target 0);
// - 5,000 SMS at TWILIO_MPS=1000: the same figures (target 0 lost, 0 sent twice);
// - the ceiling: 5,000 SMS with TWILIO_MPS set far above what can be reached (goal >= 1,000 msg/s on 2 cores), beside
//   a baseline measured in the same run: the same SDK client sending alone, as many requests in flight, no outbox;
// - fairness: TWILIO_MPS=1 and 500 SMS queued by one member; how soon another member's single SMS goes (target < 3 s).
// BENCH_MPS and/or BENCH_MESSAGES run one rate instead of the first three rows. The emulator's delivery lifecycle is
// held back: on real Twilio that work is not on our machine.
import path from "node:path";
import { openDatabase, type Db } from "@/db/client";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { enqueue } from "@/lib/outbox/queue";
import { registerOutboxSender } from "@/lib/outbox/senders";
import { createTwilio, type TwilioClient } from "@/lib/twilio/client";
import { MAX_CONCURRENT_REQUESTS } from "@/lib/twilio/limits";
import { newAccount, startEmulator, table, tempDir, until } from "./lib/processes";

process.env.LOG_LEVEL ||= "error";
const HOUR = 3600_000;
const HELD_BACK = { acceptedMs: HOUR, queuedMs: HOUR, sentMs: HOUR };
const TIMING = { timeoutMs: 5000, providerGraceMs: 2000 };

type Phase = { name: string; mps: number; messages: number; target?: number; goal?: number };
type Result = Phase & { achieved: number; lost: number; twice: number; unknown: number; retried: number; tooMany: number; wall: number };

registerOutboxSender("bench", {});

function clientFor(url: string, account: { accountSid: string; authToken: string }, mps: number): TwilioClient {
  return createTwilio({ ...account, phoneNumber: "+15005550006", emulatorUrl: url, mps, defaultCountry: "GB", allowedCountries: [] }, TIMING);
}

const recipient = (i: number) => `+4477009${String(i % 100_000).padStart(5, "0")}`;

function appDb(): Db {
  return openDatabase(path.join(tempDir("bench-dispatch-"), "app.db"));
}

async function runPhase(p: Phase): Promise<Result> {
  const account = newAccount();
  const emulator = await startEmulator({ ...account, mps: p.mps, delays: HELD_BACK });
  try {
    const db = appDb();
    db.$client.transaction(() => {
      // Fifty members' backlogs, so the fair claim does its real work.
      for (let i = 0; i < p.messages; i++) enqueue(db, { channel: "SMS", recipient: recipient(i), body: `bench ${p.name} message ${i}`, purpose: "bench", fairnessKey: `member:${i % 50}` });
    })();
    const client = clientFor(emulator.url, account, p.mps);
    const dispatcher = new Dispatcher({
      db,
      mps: p.mps,
      pollMs: 20,
      policy: { ...SANDBOX_POLICY, recheckMs: 1000, statusCheckAfterMs: HOUR },
      ports: { sms: () => client, mail: async () => ({ messageId: "", response: "", caught: true }), statusCallbackUrl: () => "http://127.0.0.1:9/status-callback" },
    });
    const open = db.$client.prepare("select count(*) as n from outbox where state not in ('sent', 'failed')");
    const started = Date.now();
    dispatcher.start();
    await until(() => (open.get() as { n: number }).n === 0, 20 * 60_000, `${p.name} to drain`);
    dispatcher.stop();
    const wall = (Date.now() - started) / 1000;

    const edb = emulator.db();
    const copies = edb.prepare("select count(*) as n from sandbox_twilio_messages where direction = 'outbound-api' group by body").all() as { n: number }[];
    const span = edb.prepare("select min(date_created) as a, max(date_created) as b, count(*) as n from sandbox_twilio_messages where direction = 'outbound-api'").get() as { a: number; b: number; n: number };
    edb.close();
    const attempts = (outcome: string) => (db.$client.prepare("select count(*) as n from outbox_attempts where outcome = ?").get(outcome) as { n: number }).n;
    const tooMany = (db.$client.prepare("select count(*) as n from outbox_attempts where error_code in (429, 20429)").get() as { n: number }).n;
    return {
      ...p,
      achieved: span.n > 1 ? (span.n - 1) / ((span.b - span.a) / 1000) : 0,
      lost: p.messages - copies.length,
      twice: copies.reduce((sum, c) => sum + c.n - 1, 0),
      unknown: attempts("unknown"),
      retried: attempts("retry"),
      tooMany,
      wall,
    };
  } finally {
    await emulator.stop();
  }
}

/** The same SDK client sending alone, as many requests in flight as the outbox allows: the baseline for the ceiling. */
async function rawClient(messages: number): Promise<number> {
  const account = newAccount();
  const emulator = await startEmulator({ ...account, mps: 100_000, delays: HELD_BACK });
  try {
    const client = clientFor(emulator.url, account, 100_000);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: MAX_CONCURRENT_REQUESTS }, async () => {
        while (next < messages) {
          const i = next++;
          await client.sendSms({ to: recipient(i), body: `raw ${i}`, statusCallback: "http://127.0.0.1:9/status-callback" });
        }
      }),
    );
    return messages / ((performance.now() - started) / 1000);
  } finally {
    await emulator.stop();
  }
}

/** TWILIO_MPS=1, 500 queued by one member: how long another member's single SMS waits. */
async function fairness(): Promise<{ seconds: number; ahead: number }> {
  const account = newAccount();
  const emulator = await startEmulator({ ...account, mps: 1, delays: HELD_BACK });
  try {
    const db = appDb();
    db.$client.transaction(() => {
      for (let i = 0; i < 500; i++) enqueue(db, { channel: "SMS", recipient: recipient(i), body: `busy member ${i}`, purpose: "bench", fairnessKey: "member:busy" });
    })();
    const client = clientFor(emulator.url, account, 1);
    const dispatcher = new Dispatcher({ db, mps: 1, pollMs: 20, policy: { ...SANDBOX_POLICY, statusCheckAfterMs: HOUR }, ports: { sms: () => client, mail: async () => ({ messageId: "", response: "", caught: true }), statusCallbackUrl: () => "http://127.0.0.1:9/status-callback" } }).start();
    const edb = emulator.db();
    const count = edb.prepare("select count(*) as n from sandbox_twilio_messages where body = ?");
    await until(() => (count.get("busy member 0") as { n: number }).n > 0, 10_000, "the first message");
    const queuedAt = Date.now();
    enqueue(db, { channel: "SMS", recipient: "+447400123456", body: "the other member's only message", purpose: "bench", fairnessKey: "member:other" });
    dispatcher.kick();
    await until(() => (count.get("the other member's only message") as { n: number }).n > 0, 30_000, "the other member's message");
    const seconds = (Date.now() - queuedAt) / 1000;
    dispatcher.stop();
    const ahead = (db.$client.prepare("select count(*) as n from outbox where fairness_key = 'member:busy' and state = 'queued'").get() as { n: number }).n;
    edb.close();
    return { seconds, ahead };
  } finally {
    await emulator.stop();
  }
}

async function main() {
  const custom = process.env.BENCH_MPS || process.env.BENCH_MESSAGES;
  const phases: Phase[] = custom
    ? [{ name: `TWILIO_MPS=${process.env.BENCH_MPS ?? 200}`, mps: Number(process.env.BENCH_MPS ?? 200), messages: Number(process.env.BENCH_MESSAGES ?? 2000), target: 0.95 }]
    : [
        { name: "TWILIO_MPS=200", mps: 200, messages: 2000, target: 0.95 },
        { name: "TWILIO_MPS=1000", mps: 1000, messages: 5000 },
        { name: "ceiling (TWILIO_MPS=20000)", mps: 20_000, messages: 5000, goal: 1000 },
      ];
  console.log(`\nbench:dispatch  outbox -> Twilio emulator in a separate process over HTTP (${process.env.NODE_ENV ?? "node"} ${process.version})`);
  const results: Result[] = [];
  for (const p of phases) results.push(await runPhase(p));
  const raw = custom ? null : await rawClient(5000);
  const fair = custom ? null : await fairness();

  const rows: (string | number)[][] = [["run", "messages", "configured/s", "achieved/s", "of configured", "lost", "sent twice", "unknown", "retried", "429s", "wall s"]];
  for (const r of results) {
    rows.push([r.name, r.messages, r.mps, r.achieved.toFixed(1), (r.achieved / r.mps).toFixed(3), r.lost, r.twice, r.unknown, r.retried, r.tooMany, r.wall.toFixed(1)]);
  }
  if (raw !== null) rows.push([`baseline: SDK alone, ${MAX_CONCURRENT_REQUESTS} in flight`, 5000, "-", raw.toFixed(1), "-", "-", "-", "-", "-", "-", "-"]);
  console.log(table(rows));
  const ceiling = results.find((r) => r.goal);
  if (ceiling && raw !== null) {
    console.log(`  ceiling           ${ceiling.achieved.toFixed(0)} msg/s = ${(ceiling.achieved / raw).toFixed(2)} of the SDK alone (goal >= ${ceiling.goal} msg/s)`);
  }
  for (const r of results.filter((r) => r.target)) console.log(`  ${r.name}: ${(r.achieved / r.mps).toFixed(3)} of configured (target >= ${r.target})`);
  console.log(`  lost / sent twice at every rate: ${results.reduce((s, r) => s + r.lost, 0)} / ${results.reduce((s, r) => s + r.twice, 0)} (target 0 / 0)`);
  if (fair) console.log(`  fairness          another member's SMS went out ${fair.seconds.toFixed(2)} s after it was queued, with ${fair.ahead} of one member's queued ahead at TWILIO_MPS=1 (target < 3 s)`);

  const failed =
    results.some((r) => r.lost || r.twice || (r.target && r.achieved / r.mps < r.target)) || (fair !== null && fair.seconds >= 3);
  process.exit(failed ? 1 : 0);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
