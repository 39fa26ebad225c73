// Makes the data directory, applies migrations and (sandbox mode) seeds the demo accounts. Used by start, dev and tests.
import "./dotenv";
import { DatabaseOpenError, getDb } from "@/db/client";
import { disableSandboxDemoAccounts, sandboxDemoAccounts, seedSandbox } from "@/lib/accounts/seed";
import { ConfigError, getEnv, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { sandboxExposedWarning } from "@/lib/sandbox/exposure";

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

export function banner(env: Env): string {
  const lines = [
    "",
    `  Select Exposure is running at ${env.appUrl}`,
    `  Providers: ${env.mode === "sandbox" ? "SANDBOX (local Yoti and Twilio emulators, mail caught locally)" : "LIVE (Yoti, Twilio, SMTP)"}`,
    `  Listening: ${env.listen.host}:${env.port}${env.mode === "sandbox" && !env.listen.exposed ? " (this machine only)" : ""}`,
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

if (import.meta.url === `file://${process.argv[1]}`) {
  prepare()
    .then((env) => console.log(`Database ready at ${env.databasePath} (${env.mode} mode).`))
    .catch(exitOnConfigError);
}
