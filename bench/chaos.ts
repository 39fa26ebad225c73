// `npm run bench:chaos`: 2,000 SMS smoke signals through the outbox to a Twilio emulator in a separate process that
// fails 30% of requests (500 after processing, 503, 429/20429, timeouts with the answer withheld) and duplicates,
// reorders and delays status callbacks; the app process (dispatcher + status-callback route) is killed with SIGKILL
// mid-run and started again. Prints lost, sent twice and wrong final status (targets 0, 0, 0), and the time to drain.
import path from "node:path";
import { openDatabase } from "@/db/client";
import { members, profiles, type Member } from "@/db/schema";
import { loadSandboxSecrets } from "@/lib/sandbox/secrets";
import { sendSmokeSignal } from "@/lib/smoke-signals/send";
import { freePort, startChild, startEmulator, table, tempDir, until, type Child } from "./lib/processes";

process.env.LOG_LEVEL ||= "error";
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const MPS = Number(process.env.BENCH_MPS ?? 200);
/** 30% of requests fail, a quarter of them each way; half the callbacks are duplicated or reordered. */
const FAULTS = process.env.BENCH_FAULTS ?? "error500=7.5%,error503=7.5%,tooManyRequests=7.5%,timeout=7.5%,callbackDuplicate=25%,callbackReorder=25%,callbackDelayMs=1000,listLagMs=300";
/** A share of recipients whose messages Twilio accepts and the carrier does not deliver (30003), or Twilio fails (30008). */
const UNDELIVERED = "+15005553003";
const FAILING = "+15005553008";

const WORKER = { timeoutMs: 2000, providerGraceMs: 1000, recheckMs: 1000, statusCheckAfterMs: 3000, leaseMs: 5000 };

async function main() {
  const dataDir = tempDir("bench-chaos-");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const secrets = loadSandboxSecrets(dataDir);
  const db = openDatabase(path.join(dataDir, "app.db"));

  // The members' signals, queued before the run as the API would queue them (each carries its own join link).
  // Age-verified members (platform SMS is only for them), with limits and caps out of the way.
  const senders: Member[] = Array.from({ length: 20 }, (_, i) => {
    const member = db.insert(members).values({ email: `chaos-${i}@example.com`, passwordHash: "x" }).returning().get();
    db.insert(profiles).values({ memberId: member.id, yotiVerified: true, isOver18: true }).run();
    return member;
  });
  const env = {
    mode: "sandbox",
    appUrl,
    twilio: { accountSid: secrets.twilio.accountSid, authToken: secrets.twilio.authToken, mps: MPS, defaultCountry: "GB", allowedCountries: "all" },
    limits: { perMemberPerDay: 1_000_000, perRecipientPerDay: 1_000_000, perIpPerDay: 1_000_000 },
    smsCaps: { daily: 1_000_000, perCountry: 1_000_000, countries: {} },
  };
  db.$client.transaction(() => {
    for (let i = 0; i < MESSAGES; i++) {
      const to = i % 40 === 7 ? UNDELIVERED : i % 40 === 17 ? FAILING : `+447400${String(100000 + i)}`;
      sendSmokeSignal(db, { to, channel: "SMS", message: `chaos ${i}`, consent: true }, { sender: senders[i % senders.length]!, senderScreenName: null, tokenConsent: false, ip: null, env: env as never });
    }
  })();

  const emulator = await startEmulator({
    accountSid: secrets.twilio.accountSid,
    authToken: secrets.twilio.authToken,
    mps: MPS,
    faults: FAULTS,
    delays: { acceptedMs: 50, queuedMs: 100, sentMs: 300 },
  });
  const startWorker = () =>
    startChild(path.join("bench", "lib", "app-worker.ts"), {
      DATA_DIR: dataDir,
      APP_URL: appUrl,
      PORT: String(port),
      BENCH_WORKER: JSON.stringify({ emulatorUrl: emulator.url, mps: MPS, ...WORKER }),
    });

  const edb = emulator.db();
  const atTwilio = edb.prepare("select count(*) as n from sandbox_twilio_messages where direction = 'outbound-api'");
  const pending = db.$client.prepare("select count(*) as n from smoke_signals where status = 'Pending'");
  const started = Date.now();
  let worker: Child = await startWorker();
  // Kill the app process mid-run (a third of the messages are at Twilio), as a crash or an OOM kill would.
  await until(() => (atTwilio.get() as { n: number }).n >= MESSAGES / 3, 10 * 60_000, "a third of the messages at Twilio");
  await worker.kill();
  const killedAt = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  worker = await startWorker();
  await until(() => (pending.get() as { n: number }).n === 0, 20 * 60_000, "every signal to reach its final status");
  const drained = (Date.now() - started) / 1000;
  // Late duplicated or delayed callbacks may still arrive: they must not change any final status.
  await new Promise((r) => setTimeout(r, 2500));
  await worker.stop();

  const copies = new Map<string, { n: number; status: string; errorCode: number | null }>();
  for (const m of edb.prepare("select body, status, error_code as errorCode from sandbox_twilio_messages where direction = 'outbound-api'").all() as { body: string; status: string; errorCode: number | null }[]) {
    const seen = copies.get(m.body);
    copies.set(m.body, { n: (seen?.n ?? 0) + 1, status: m.status, errorCode: m.errorCode });
  }
  edb.close();
  await emulator.stop();
  const rows = db.$client
    .prepare("select o.body, s.status, s.error_code as errorCode from outbox o join smoke_signals s on s.id = o.owner_id where o.purpose = 'smoke_signal'")
    .all() as { body: string; status: string; errorCode: number | null }[];
  let lost = 0;
  let twice = 0;
  let wrong = 0;
  for (const r of rows) {
    const c = copies.get(r.body);
    if (!c) lost++;
    else if (c.n > 1) twice += c.n - 1;
    const expected = !c ? "Failed" : c.status === "delivered" ? "Delivered" : c.status === "undelivered" || c.status === "failed" ? "Failed" : "Pending";
    if (r.status !== expected || (expected === "Failed" && c && r.errorCode !== c.errorCode)) wrong++;
  }
  const outcomes = db.$client.prepare("select outcome, count(*) as n from outbox_attempts group by outcome order by n desc").all() as { outcome: string; n: number }[];
  const injected = emulator.injected();
  const callbacks = (injected.callbackDuplicate ?? 0) + (injected.callbackReorder ?? 0);

  console.log(`\nbench:chaos  ${MESSAGES} SMS at TWILIO_MPS=${MPS}; Twilio emulator in a separate process: ${FAULTS}`);
  console.log(`  app process killed with SIGKILL at ${killedAt.toFixed(1)} s and started again 1 s later`);
  console.log(
    table([
      ["figure", "value", "target"],
      ["lost", lost, 0],
      ["sent twice", twice, 0],
      ["wrong final status", wrong, 0],
      ["time to drain (s)", drained.toFixed(1), `>= ${(MESSAGES / MPS).toFixed(1)} at the rate alone`],
    ]),
  );
  console.log(`  requests failed on purpose: ${["error500", "error503", "tooManyRequests", "timeout"].map((k) => `${k} ${injected[k] ?? 0}`).join(", ")}`);
  console.log(`  callbacks duplicated or reordered: ${callbacks}`);
  console.log(`  outbox attempts: ${outcomes.map((o) => `${o.outcome} ${o.n}`).join(", ")}`);
  process.exit(lost || twice || wrong ? 1 : 0);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
