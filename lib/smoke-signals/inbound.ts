// Replies to our number: opt-out and opt-in keywords maintain the suppression list, HELP gets help text; answered as TwiML.
import "server-only";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import { keywordOf, suppress, unsuppress } from "./suppression";

export const HELP_TEXT = "Select Exposure: members invite friends by SMS. Reply STOP to stop all messages, START to receive them again. Help: support via the website.";

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

export function twiml(message?: string): string {
  return message ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xml(message)}</Message></Response>` : `<?xml version="1.0" encoding="UTF-8"?><Response/>`;
}

/** Handles one inbound SMS (Twilio's form fields) and returns the TwiML to answer with. */
export function handleInbound(db: Db, params: Record<string, string>): string {
  const from = params.From ?? "";
  // Twilio's Advanced Opt-Out tells us the keyword class itself; otherwise we match the default keywords.
  const optOutType = params.OptOutType?.toUpperCase();
  const kw = keywordOf(params.Body ?? "");
  const kind = optOutType === "STOP" ? "opt_out" : optOutType === "START" ? "opt_in" : optOutType === "HELP" ? "help" : kw?.kind;
  if (!/^\+[1-9]\d{6,14}$/.test(from)) {
    log.warn({ from: from.slice(0, 20) }, "inbound SMS without a usable From number");
    return twiml();
  }
  switch (kind) {
    case "opt_out":
      suppress(db, from, kw?.keyword ?? "STOP");
      log.info({ keyword: kw?.keyword ?? optOutType }, "number opted out");
      // Twilio itself confirms opt-outs on numbers with default handling; we add nothing so the person gets one reply.
      return twiml();
    case "opt_in":
      unsuppress(db, from);
      log.info({ keyword: kw?.keyword ?? optOutType }, "number opted back in");
      return twiml();
    case "help":
      return twiml(HELP_TEXT);
    default:
      return twiml();
  }
}
