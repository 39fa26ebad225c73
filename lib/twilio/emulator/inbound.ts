// A tester's reply from the sandbox phone: stored as an inbound message; Twilio's own answer to STOP/START/HELP sent
// back as Twilio does (default opt-out handling); POSTed to the app's inbound webhook as Twilio would (form fields,
// OptOutType only with Advanced Opt-Out on a messaging service, X-Twilio-Signature over the public URL); and the
// app's TwiML answer delivered back (refused with 21610 once the number has opted out, as Twilio would).
import "server-only";
import { randomBytes } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { SandboxTwilioMessage } from "@/db/schema";
import { segmentInfo } from "../sms";
import { signTwilioRequest } from "../webhook";
import type { EmulatorContext } from "./emulator";
import { keywordOf } from "../keywords";
import { DEFAULT_KEYWORD_REPLIES } from "./magic";
import { API_VERSION } from "./resources";
import { getMessage, hasOptedOut, insertMessage, updateMessage } from "./store";

export type InboundResult = { message: SandboxTwilioMessage; replies: SandboxTwilioMessage[] };

const newSid = () => `SM${randomBytes(16).toString("hex")}`;

function decodeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

/** The texts of the <Message> verbs in a TwiML answer (with or without a nested <Body>). */
export function twimlMessages(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<Message\b[^>]*>([\s\S]*?)<\/Message>/g)) {
    const inner = m[1] ?? "";
    const body = /<Body\b[^>]*>([\s\S]*?)<\/Body>/.exec(inner);
    const text = decodeXml((body ? body[1]! : inner.replace(/<Media\b[\s\S]*?<\/Media>/g, "")).trim());
    if (text) out.push(text);
  }
  return out;
}

/** The location fields Twilio adds for each party (country from the number; state, city and zip left empty). */
function place(prefix: "From" | "To", number: string): Record<string, string> {
  const country = parsePhoneNumberFromString(number)?.country ?? "";
  return { [`${prefix}Country`]: country, [`${prefix}State`]: "", [`${prefix}City`]: "", [`${prefix}Zip`]: "" };
}

/** A text from our number back to the tester's phone: Twilio's own keyword reply, or the app's TwiML answer. */
function reply(ctx: EmulatorContext, from: string, to: string, body: string, by: "twilio" | "app"): SandboxTwilioMessage {
  const at = Date.now();
  // Twilio delivers nothing to a number that opted out, its own STOP confirmation aside.
  const blocked = by === "app" && hasOptedOut(ctx.db, to, from);
  return insertMessage(ctx.db, {
    sid: newSid(),
    accountSid: ctx.accountSid,
    messagingServiceSid: ctx.messagingServiceSid ?? null,
    direction: "outbound-reply",
    replyBy: by,
    from,
    to,
    body,
    status: blocked ? "failed" : "delivered",
    errorCode: blocked ? 21610 : null,
    errorMessage: blocked ? "Attempt to send to unsubscribed recipient" : null,
    numSegments: segmentInfo(body).segments,
    statusCallback: null,
    callbackStatus: null,
    nextAt: null,
    dateCreated: at,
    dateUpdated: at,
    dateSent: blocked ? null : at,
  });
}

export async function receiveSms(ctx: EmulatorContext, input: { from: string; body: string; to?: string }): Promise<InboundResult> {
  const to = input.to ?? ctx.phoneNumbers[0]!;
  const now = Date.now();
  const wasOptedOut = hasOptedOut(ctx.db, input.from, to);
  const inbound = insertMessage(ctx.db, {
    sid: newSid(),
    accountSid: ctx.accountSid,
    messagingServiceSid: ctx.messagingServiceSid ?? null,
    direction: "inbound",
    from: input.from,
    to,
    body: input.body,
    status: "received",
    numSegments: Math.max(segmentInfo(input.body).segments, 1),
    statusCallback: null,
    callbackStatus: null,
    nextAt: null,
    dateCreated: now,
    dateUpdated: now,
    dateSent: now,
  });
  const replies: SandboxTwilioMessage[] = [];
  // Twilio answers the keywords itself; HELP gets no answer while the number is opted out.
  const keyword = keywordOf(input.body)?.type;
  if (keyword && !(keyword === "HELP" && wasOptedOut)) replies.push(reply(ctx, to, input.from, DEFAULT_KEYWORD_REPLIES[keyword], "twilio"));

  if (!ctx.inboundUrl) {
    updateMessage(ctx.db, inbound.sid, { replyError: "No inbound webhook is configured for this number." });
    return { message: getMessage(ctx.db, inbound.sid)!, replies };
  }

  const params: Record<string, string> = {
    AccountSid: ctx.accountSid,
    ApiVersion: API_VERSION,
    Body: input.body,
    From: input.from,
    MessageSid: inbound.sid,
    NumMedia: "0",
    NumSegments: String(inbound.numSegments),
    SmsMessageSid: inbound.sid,
    SmsSid: inbound.sid,
    SmsStatus: "received",
    To: to,
    ...place("From", input.from),
    ...place("To", to),
  };
  if (ctx.messagingServiceSid) params.MessagingServiceSid = ctx.messagingServiceSid;
  // Twilio sends OptOutType only with Advanced Opt-Out, which exists only on a messaging service.
  if (keyword && ctx.messagingServiceSid && ctx.advancedOptOut) params.OptOutType = keyword;

  const url = ctx.inboundUrl;
  try {
    const response = await (ctx.fetch ?? fetch)(ctx.transportUrl ? ctx.transportUrl(url) : url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        "user-agent": "TwilioProxy/1.1",
        "x-twilio-signature": signTwilioRequest(ctx.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    updateMessage(ctx.db, inbound.sid, { replyHttpStatus: response.status, replyBody: text.slice(0, 4000) });
    // Twilio only acts on TwiML from a successful answer; it texts each <Message> back to the sender.
    if (response.ok) for (const body of twimlMessages(text)) replies.push(reply(ctx, to, input.from, body, "app"));
  } catch (error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    updateMessage(ctx.db, inbound.sid, { replyError: `Could not reach ${url}: ${cause ? String(cause) : (error as Error).message}` });
  }
  return { message: getMessage(ctx.db, inbound.sid)!, replies };
}
