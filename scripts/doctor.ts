// `npm run doctor`: one line per check (PASS / WARN / FAIL and what to do); exits non-zero when anything FAILs.
import "./dotenv";
import { configChecks, databaseChecks } from "@/lib/doctor/core";
import { credentialChecks } from "@/lib/doctor/credentials";
import { mailChecks } from "@/lib/doctor/mail";
import { fail, type Check, type CheckResult } from "@/lib/doctor/types";
import { ConfigError, loadEnv } from "@/lib/env";
import { twilioChecks } from "@/lib/twilio/doctor";
import { yotiChecks } from "@/lib/yoti/doctor";

const CHECKS: Check[] = [configChecks, databaseChecks, yotiChecks, twilioChecks, mailChecks, credentialChecks];

async function main(): Promise<number> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.log(`FAIL  configuration  ${problem}`);
    return 1;
  }
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    // One check that cannot run (an unusable database path, say) is a FAIL line, not a crash that hides the rest.
    const outcome = await check(env).catch((error: unknown) => [fail(check.name.replace(/Checks$/, ""), `could not run: ${(error as Error)?.message ?? String(error)}`)]);
    for (const result of outcome) {
      results.push(result);
      console.log(`${result.status.padEnd(4)}  ${result.name}  ${result.detail}`);
    }
  }
  const failed = results.filter((r) => r.status === "FAIL").length;
  const warned = results.filter((r) => r.status === "WARN").length;
  console.log(`\n${results.length - failed - warned} passed, ${warned} warnings, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
