// A Twilio emulator in its own process, for benchmarks: its CPU is not the app's, and the app reaches it over real
// HTTP as it reaches Twilio. Configured by BENCH_EMULATOR (JSON); prints one JSON line {"url": ...} when listening.
import fs from "node:fs";
import { openDatabase } from "@/db/client";
import { serve } from "@/lib/http/serve";
import { createTwilioEmulator } from "@/lib/twilio/emulator/emulator";
import type { EmulatorConfig } from "./processes";

type Config = EmulatorConfig & {
  dbPath: string;
  /** Where to write the faults injected (JSON) when stopped. */
  statsPath?: string;
};

const config = JSON.parse(process.env.BENCH_EMULATOR ?? "{}") as Config;
const emulator = createTwilioEmulator({
  db: openDatabase(config.dbPath),
  accountSid: config.accountSid,
  authToken: config.authToken,
  phoneNumbers: ["+15005550006"],
  mps: config.mps,
  faults: config.faults,
  delays: config.delays,
  maxConcurrentRequests: config.maxConcurrentRequests,
});
const server = await serve(emulator.handle);
emulator.resume();
console.log(JSON.stringify({ url: server.url }));

const stop = async () => {
  if (config.statsPath) fs.writeFileSync(config.statsPath, JSON.stringify(emulator.context.faults.injected()));
  emulator.stop();
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 500))]);
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
