// How old each credential is, from the *_ISSUED dates the operator sets: the doctor and the console warn past 90 days.
import { ISSUED_CREDENTIALS, type Env, type IssuedCredential } from "@/lib/env";

/** Rotate at least this often (the brief's policy; the runbook in docs/rotation.md walks through each provider). */
export const MAX_CREDENTIAL_AGE_DAYS = 90;

export type CredentialAge = {
  credential: IssuedCredential;
  /** Whether this deployment uses the credential at all (a secondary token, an API key are optional). */
  configured: boolean;
  issued: string | null;
  ageDays: number | null;
  status: "ok" | "old" | "unknown";
  advice: string;
};

const DAY = 24 * 3600_000;

function configuredIn(env: Env, credential: IssuedCredential): boolean {
  switch (credential) {
    case "TWILIO_AUTH_TOKEN":
    case "YOTI_KEY":
      return true;
    case "TWILIO_AUTH_TOKEN_SECONDARY":
      return Boolean(env.twilio.authTokenSecondary);
    case "TWILIO_API_KEY":
      return Boolean(env.twilio.apiKeySid);
    case "YOTI_KEY_SECONDARY":
      return Boolean(env.yoti.secondary);
  }
}

/** Each configured credential's age, and what to do about it. */
export function credentialAges(env: Env, now = Date.now()): CredentialAge[] {
  return ISSUED_CREDENTIALS.filter((c) => configuredIn(env, c)).map((credential) => {
    const issued = env.credentialsIssued[credential] ?? null;
    if (!issued) {
      return {
        credential,
        configured: true,
        issued: null,
        ageDays: null,
        status: "unknown",
        advice: `Set ${credential}_ISSUED=YYYY-MM-DD (the day it was issued) so the console and doctor can tell when it is due for rotation.`,
      };
    }
    const ageDays = Math.floor((now - Date.parse(`${issued}T00:00:00Z`)) / DAY);
    const old = ageDays > MAX_CREDENTIAL_AGE_DAYS;
    return {
      credential,
      configured: true,
      issued,
      ageDays,
      status: old ? "old" : "ok",
      advice: old
        ? `Issued ${ageDays} days ago, more than ${MAX_CREDENTIAL_AGE_DAYS}: rotate it (docs/rotation.md), then update ${credential}_ISSUED.`
        : `Issued ${ageDays} days ago; due for rotation in ${MAX_CREDENTIAL_AGE_DAYS - ageDays} days.`,
    };
  });
}
