// Doctor checks that every deployment needs: configuration completeness for the mode, database reachable and migrated.
import "server-only";
import { DatabaseOpenError, databaseStatus, openDatabase } from "@/db/client";
import type { Env } from "@/lib/env";
import { sandboxExposedWarning } from "@/lib/sandbox/exposure";
import { fail, pass, warn, type CheckResult } from "./types";

export async function configChecks(env: Env): Promise<CheckResult[]> {
  const results: CheckResult[] = [pass("configuration", `complete for ${env.mode} mode`)];
  if (env.mode === "live") {
    results.push(
      env.appUrl.startsWith("https://")
        ? pass("APP_URL", `${env.appUrl} is https`)
        : fail("APP_URL", `${env.appUrl} is not https: Yoti and Twilio call it back, set APP_URL to the public https URL`),
      env.trustedProxies.length
        ? pass("client IP", `per-IP limits read X-Forwarded-For as appended by ${env.trustedProxies.join(", ")}`)
        : warn(
            "client IP",
            "TRUSTED_PROXIES is empty: per-IP limits count the address that connects, so behind a reverse proxy every member shares its allowance; set TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1)",
          ),
    );
  } else {
    results.push(warn("providers", "sandbox mode: Yoti, Twilio and email go to local emulators; set real credentials to go live (see README)"));
    if (env.listen.exposed) results.push(warn("HOST", sandboxExposedWarning(env).join(" ")));
  }
  const countries = env.twilio.allowedCountries;
  results.push(
    countries === "all"
      ? warn(
          "SMS countries",
          "SMS_ALLOWED_COUNTRIES=all lets members text any country: SMS pumping fraud targets expensive destinations; list only the countries your members live in (e.g. GB,IE)",
        )
      : pass("SMS countries", `platform SMS only to ${countries.join(", ")}; at most ${env.smsCaps.daily} a day`),
  );
  return results;
}

/** The database check's line for a connection's migration status (the console passes the app's own connection). */
export function databaseResult(env: Env, status: ReturnType<typeof databaseStatus>): CheckResult {
  return status.ok
    ? pass("database", `${env.databasePath} reachable, ${status.applied} of ${status.expected} migrations applied`)
    : fail("database", `${status.applied} of ${status.expected} migrations applied: run npm run db:migrate`);
}

export async function databaseChecks(env: Env): Promise<CheckResult[]> {
  try {
    return [databaseResult(env, databaseStatus(openDatabase(env.databasePath)))];
  } catch (error) {
    if (error instanceof DatabaseOpenError) return [fail("database", error.message)];
    return [fail("database", `cannot open ${env.databasePath}: ${(error as Error).message} (check DATABASE_URL and folder permissions)`)];
  }
}
