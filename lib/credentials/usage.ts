// Which outgoing credential the providers accepted, remembered in the database so the console can say which one of a
// rotation's pair is in use (and that the old one can go). Provider clients report through a CredentialObserver.
import "server-only";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import { recordCredentialOk, recordCredentialRefused } from "./queries";

/** The variable holding the credential, e.g. "YOTI_API_KEY_SECONDARY" or "TWILIO_API_KEY" (the SID/secret pair). */
export type CredentialName =
  | "TWILIO_AUTH_TOKEN"
  | "TWILIO_AUTH_TOKEN_SECONDARY"
  | "TWILIO_API_KEY"
  | "YOTI_API_KEY"
  | "YOTI_PRIVATE_KEY"
  | "YOTI_API_KEY_SECONDARY"
  | "YOTI_PRIVATE_KEY_SECONDARY";

/** Told by a provider client each time a credential is accepted or refused. Never throws. */
export type CredentialObserver = (name: CredentialName, outcome: "ok" | "refused", refusal?: string) => void;

// A success is written at most once a minute per credential: every API call reports one.
const OK_EVERY_MS = 60_000;

/** An observer writing to `db`: successes throttled, refusals (rare, and what the operator must see) every time. */
export function credentialObserver(db: Db): CredentialObserver {
  const lastOk = new Map<string, number>();
  return (name, outcome, refusal) => {
    try {
      const now = Date.now();
      if (outcome === "ok") {
        if (now - (lastOk.get(name) ?? 0) < OK_EVERY_MS) return;
        lastOk.set(name, now);
        recordCredentialOk(db, name, new Date(now));
      } else {
        lastOk.delete(name);
        recordCredentialRefused(db, name, new Date(now), refusal ?? "refused");
      }
    } catch (error) {
      // Bookkeeping must never break a send or a verification.
      log.warn({ err: error, credential: name }, "could not record credential use");
    }
  };
}
