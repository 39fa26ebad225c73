// Doctor check for credential age: each credential's *_ISSUED date against the 90-day rotation policy.
import { credentialAges } from "@/lib/credentials/age";
import type { Env } from "@/lib/env";
import { pass, warn, type CheckResult } from "./types";

export async function credentialChecks(env: Env): Promise<CheckResult[]> {
  return credentialAges(env)
    // Sandbox secrets are generated locally: only dated ones are judged, an undated one is no one's concern.
    .filter((c) => env.mode === "live" || c.issued)
    .map((c) => (c.status === "ok" ? pass(`${c.credential} age`, c.advice) : warn(`${c.credential} age`, c.advice)));
}
