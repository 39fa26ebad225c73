// Replies to our number keep the SMS suppression list: an opt-out keyword adds the number, an opt-in removes it.
// Twilio itself answers STOP, START and HELP (its default replies, or those configured in Advanced Opt-Out), so the
// app never adds a reply of its own: the person gets exactly one answer (decision 019).
import "server-only";
import type { Db } from "@/db/client";
import { log } from "@/lib/log";
import type { InboundSms } from "@/lib/twilio/webhook";
import { suppress, unsuppress } from "./suppression";

export function handleInbound(db: Db, sms: InboundSms): void {
  if (!sms.from) {
    log.warn("inbound SMS without a usable From number");
    return;
  }
  if (sms.keyword?.type === "STOP") {
    suppress(db, sms.from, sms.keyword.word);
    log.info({ keyword: sms.keyword.word }, "number opted out");
  } else if (sms.keyword?.type === "START") {
    unsuppress(db, sms.from);
    log.info({ keyword: sms.keyword.word }, "number opted back in");
  }
}
