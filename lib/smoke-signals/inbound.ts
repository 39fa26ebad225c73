// Replies to our number: opt-out and opt-in keywords maintain the suppression list; answered with empty TwiML.
// Twilio itself answers STOP, START and HELP (its default replies, or those configured in Advanced Opt-Out), so the app
// never adds a reply of its own: the person gets exactly one answer (decision 019).
import "server-only";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import { keywordOf, suppress, unsuppress } from "./suppression";

const EMPTY_TWIML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`;

/** Handles one inbound SMS (Twilio's form fields) and returns the TwiML to answer with (always empty). */
export function handleInbound(db: Db, params: Record<string, string>): string {
  const from = params.From ?? "";
  // With Advanced Opt-Out Twilio tells us the keyword class itself (custom keywords included); otherwise we match
  // Twilio's default keywords, which is what its default opt-out handling acts on.
  const optOutType = params.OptOutType?.toUpperCase();
  const kw = keywordOf(params.Body ?? "");
  const kind = optOutType === "STOP" ? "opt_out" : optOutType === "START" ? "opt_in" : optOutType === "HELP" ? "help" : kw?.kind;
  if (!/^\+[1-9]\d{6,14}$/.test(from)) {
    log.warn({ from: from.slice(0, 20) }, "inbound SMS without a usable From number");
    return EMPTY_TWIML;
  }
  if (kind === "opt_out") {
    suppress(db, from, kw?.keyword ?? "STOP");
    log.info({ keyword: kw?.keyword ?? optOutType }, "number opted out");
  } else if (kind === "opt_in") {
    unsuppress(db, from);
    log.info({ keyword: kw?.keyword ?? optOutType }, "number opted back in");
  }
  return EMPTY_TWIML;
}
