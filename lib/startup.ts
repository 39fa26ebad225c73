// What the server does as it starts, however it is served (npm start, next start, next dev, the Playwright server),
// called from instrumentation.ts: check the configuration, open and migrate the database, create the sandbox's demo
// accounts (or disable them in live mode), start the outbox dispatcher, the operator jobs (alerts, retention), the
// announcements' queuing and the emulators, and say where it runs.
import "server-only";
import { remember } from "@epic-web/remember";
import { DatabaseOpenError, getDb } from "@/db/client";
import { disableSandboxDemoAccounts, sandboxDemoAccounts, seedSandbox } from "@/lib/accounts/seed";
import { ConfigError, getEnv, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { sandboxExposedWarning } from "@/lib/sandbox/exposure";

/** Checks the configuration, migrates the database and seeds (sandbox) or disables the demo accounts (live). */
export async function prepare(): Promise<Env> {
  const env = getEnv();
  const db = getDb();
  await seedSandbox(db, env);
  if (env.mode === "live") {
    const disabled = disableSandboxDemoAccounts(db);
    if (disabled.length) {
      const line = `Disabled the sandbox demo accounts ${disabled.join(", ")}: their passwords were printed in sandbox mode, so they cannot sign in in live mode.`;
      console.log(line);
      log.warn({ accounts: disabled }, line);
    }
  }
  return env;
}

/**
 * Remembered as true by scripts/serve.mjs (`npm start`, Playwright) before Next prepares the app: it listens where the
 * configuration says. Under `next start` or `next dev` the address is whatever their -H and -p said, so the banner
 * claims none.
 */
export const SERVED_BY_LAUNCHER = "startup.served-by-launcher";

export function banner(env: Env, opts: { listening: boolean } = { listening: true }): string {
  const lines = [
    "",
    `  Select Exposure is running at ${env.appUrl}`,
    `  Providers: ${env.mode === "sandbox" ? "SANDBOX (local Yoti and Twilio emulators, mail caught locally)" : "LIVE (Yoti, Twilio, SMTP)"}`,
    opts.listening
      ? `  Listening: ${env.listen.host}:${env.port}${env.mode === "sandbox" && !env.listen.exposed ? " (this machine only)" : ""}`
      : "  Listening: where next start / next dev were told (-H, -p); `npm start` listens on HOST, else 127.0.0.1 in sandbox mode",
    `  Database:  ${env.databasePath}`,
  ];
  if (env.listen.exposed) lines.push("", ...sandboxExposedWarning(env).map((l) => `  ${l}`));
  if (env.mode === "live") {
    const demo = sandboxDemoAccounts(getDb());
    if (demo.length) lines.push(`  Sandbox demo accounts ${demo.join(", ")} are disabled: they cannot sign in in live mode.`);
  }
  if (env.demo) {
    lines.push(
      "",
      "  Sign in with a demo account (sandbox only):",
      `    member: ${env.demo.memberEmail} / ${env.demo.memberPassword}`,
      `    admin:  ${env.demo.adminEmail} / ${env.demo.adminPassword}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A configuration or database-path problem ends the process with its plain words; anything else is rethrown. */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    console.error("\nSee .env.example for every variable, or run `npm run doctor`.");
    process.exit(1);
  }
  if (error instanceof DatabaseOpenError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/**
 * The server's start: prepared before it answers anyone, then the background work (the outbox dispatcher, the operator jobs; in sandbox
 * mode the emulators, resuming the callbacks and notifications they owe). The background modules are loaded here,
 * not at import, so the command-line scripts that share prepare() do not load them.
 */
export async function startServer(): Promise<void> {
  const env = await prepare().catch(exitOnConfigError);
  const [{ registerSenders }, { startDispatcher }, { startOperatorJobs }, { startTwilioEmulatorIfSandbox }, { startYotiEmulatorIfSandbox }, { startAnnouncementQueue }] = await Promise.all([
    import("@/lib/senders"),
    import("@/lib/outbox/dispatcher"),
    import("@/lib/console/jobs"),
    import("@/lib/twilio/runtime"),
    import("@/lib/yoti/runtime"),
    import("@/lib/announcements/sending"),
  ]);
  registerSenders();
  startDispatcher();
  startOperatorJobs();
  // Announcements left mid-queue by a previous process resume where their last batch ended.
  startAnnouncementQueue();
  startTwilioEmulatorIfSandbox();
  startYotiEmulatorIfSandbox();
  if (env.listen.exposed) log.warn({ host: env.listen.host, port: env.port }, sandboxExposedWarning(env).join(" "));
  console.log(banner(env, { listening: remember(SERVED_BY_LAUNCHER, () => false) }));
}
