// `npm run bench:dispatch`: queues 2,000 SMS in a fresh outbox and lets the dispatcher send them at TWILIO_MPS=200 to
// the Twilio emulator (served over real HTTP, answering 429 / 20429 beyond 200 per second as Twilio would); prints
// the achieved rate against the configured one (target >= 0.95), 429s seen, and messages lost or sent twice (target 0).
// The emulator's own delivery lifecycle is held back during the run: on real Twilio that work is not on our CPU.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.LOG_LEVEL ||= "warn";
const COUNT = Number(process.env.BENCH_MESSAGES ?? 2000);
const MPS = Number(process.env.BENCH_MPS ?? 200);

async function main() {
  const { openDatabase } = await import("@/db/client");
  const { Dispatcher } = await import("@/lib/outbox/dispatcher");
  const { enqueue } = await import("@/lib/outbox/queue");
  const { servedEmulator } = await import("@/lib/twilio/testing");
  const { serve } = await import("@/lib/testing/serve");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-dispatch-"));
  const db = openDatabase(path.join(dir, "bench.db"));
  const hour = 3600_000;
  const emu = await servedEmulator(db, { mps: MPS, delays: { acceptedMs: hour, queuedMs: hour, sentMs: hour } });
  const receiver = await serve(() => new Response(null, { status: 200 }));
  const client = emu.client();

  db.$client.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      enqueue(db, { channel: "SMS", recipient: `+44770090${String(i % 10000).padStart(4, "0")}`, body: `bench message ${i}`, purpose: "bench", fairnessKey: "bench" });
    }
  })();

  const dispatcher = new Dispatcher({
    db,
    mps: MPS,
    pollMs: 50,
    ports: { sms: () => client, mail: async () => ({ messageId: "", response: "", caught: true }), statusCallbackUrl: () => `${receiver.url}/status` },
  });
  const started = Date.now();
  dispatcher.start();
  await dispatcher.drained();
  dispatcher.stop();

  const q = (sql: string) => db.$client.prepare(sql).get() as Record<string, number>;
  const last = q("select max(sent_at) as t from outbox where state = 'sent'").t ?? Date.now();
  const seconds = (last - started) / 1000;
  const sent = q("select count(*) as n from outbox where state = 'sent'").n!;
  const tooMany = q("select count(*) as n from outbox_attempts where error_code in (429, 20429)").n!;
  const atTwilio = q("select count(*) as n, count(distinct body) as d from sandbox_twilio_messages where direction = 'outbound-api'");
  const lost = COUNT - atTwilio.d!;
  const duplicates = atTwilio.n! - atTwilio.d!;
  const rate = (sent - 1) / seconds;

  console.log(`\nbench:dispatch  ${COUNT} SMS queued, TWILIO_MPS=${MPS}, emulator enforcing ${MPS}/s per sender`);
  console.log(`  sent              ${sent} in ${seconds.toFixed(2)} s`);
  console.log(`  achieved rate     ${rate.toFixed(1)} msg/s = ${(rate / MPS).toFixed(3)} of configured (target >= 0.95)`);
  console.log(`  429s seen         ${tooMany} (target 0)`);
  console.log(`  lost              ${lost} (target 0)`);
  console.log(`  sent twice        ${duplicates} (target 0)`);

  await emu.close();
  await receiver.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(tooMany || lost || duplicates || rate / MPS < 0.95 ? 1 : 0);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
