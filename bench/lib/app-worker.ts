// The app side of bench:chaos in its own process, so it can be killed with SIGKILL and started again: the outbox
// dispatcher sending to the Twilio emulator, and the real status-callback route handler receiving its callbacks.
// Configured by the environment (DATA_DIR, APP_URL, PORT) and BENCH_WORKER (JSON); prints {"ready": true}.
import { POST as statusCallback } from "@/app/api/twilio/status-callback/route";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { registerSenders } from "@/lib/senders";
import { serve } from "@/lib/http/serve";
import { createTwilio } from "@/lib/twilio/client";
import { TWILIO_STATUS_CALLBACK_PATH as STATUS_CALLBACK_PATH } from "@/lib/http/webhook-paths";

type Config = { emulatorUrl: string; mps: number; timeoutMs: number; providerGraceMs: number; recheckMs: number; statusCheckAfterMs: number; leaseMs: number };
const config = JSON.parse(process.env.BENCH_WORKER ?? "{}") as Config;

registerSenders();
const env = getEnv();
const db = getDb();
const client = createTwilio({ ...env.twilio, emulatorUrl: config.emulatorUrl }, { timeoutMs: config.timeoutMs, providerGraceMs: config.providerGraceMs });
const server = await serve(async (request) => {
  if (new URL(request.url).pathname === STATUS_CALLBACK_PATH && request.method === "POST") return statusCallback(request, undefined);
  return new Response("not found", { status: 404 });
}, env.port);
new Dispatcher({
  db,
  mps: config.mps,
  pollMs: 50,
  leaseMs: config.leaseMs,
  policy: { ...SANDBOX_POLICY, recheckMs: config.recheckMs, statusCheckAfterMs: config.statusCheckAfterMs },
  ports: { sms: () => client, mail: async () => ({ messageId: "", response: "", caught: true }), statusCallbackUrl: () => `${env.appUrl}${STATUS_CALLBACK_PATH}` },
}).start();
console.log(JSON.stringify({ ready: true, url: server.url }));
process.on("SIGTERM", () => process.exit(0));
