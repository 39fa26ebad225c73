// The Messages resource: create (validation, magic numbers, opt-outs, the sender's queue), fetch, and list with
// Twilio's filters (To, From, DateSent, DateSent<, DateSent>) and paging (PageSize, Page, PageToken).
import "server-only";
import { randomBytes } from "node:crypto";
import { E164, MAX_SMS_BODY, segmentInfo } from "../sms";
import type { EmulatorContext } from "./emulator";
import { MAGIC_FROM, MAGIC_TO, type SendError } from "./magic";
import { errorResponse, messageJson, pageJson } from "./resources";
import { getMessage, hasOptedOut, insertMessage, lastQueuedSendAt, listMessages } from "./store";

const fail = (e: SendError) => errorResponse(e.status, e.code, e.message);

function validate(ctx: EmulatorContext, form: URLSearchParams): SendError | { to: string; from: string; body: string; service: string | null; callback: string | null } {
  const to = form.get("To")?.trim() ?? "";
  const fromParam = form.get("From")?.trim() || null;
  const service = form.get("MessagingServiceSid")?.trim() || null;
  const body = form.get("Body") ?? "";
  const callback = form.get("StatusCallback")?.trim() || null;
  if (!to) return { code: 21604, status: 400, message: "A 'To' phone number is required." };
  if (!fromParam && !service) return { code: 21603, status: 400, message: "A 'From' phone number is required." };
  if (service && service !== ctx.messagingServiceSid) return { code: 21705, status: 400, message: "The Messaging Service Sid is invalid." };
  const from = fromParam ?? ctx.phoneNumbers[0]!;
  if (fromParam) {
    const magic = MAGIC_FROM[fromParam];
    if (magic) return magic(fromParam);
    if (!ctx.phoneNumbers.includes(fromParam)) return MAGIC_FROM["+15005550007"]!(fromParam);
  }
  const magicTo = MAGIC_TO[to];
  if (magicTo) return magicTo(to, from);
  if (!E164.test(to)) return { code: 21211, status: 400, message: `The 'To' number ${to} is not a valid phone number.` };
  if (!body.trim() && !form.get("MediaUrl")) return { code: 21602, status: 400, message: "Message body is required." };
  if ([...body].length > MAX_SMS_BODY) return { code: 21617, status: 400, message: `The concatenated message body exceeds the ${MAX_SMS_BODY} character limit.` };
  if (callback && !/^https?:\/\/[^\s]+$/i.test(callback)) return { code: 21609, status: 400, message: `The StatusCallback URL ${callback} is not a valid URL.` };
  if (ctx.account.type === "Trial" && !(ctx.verifiedNumbers ?? []).includes(to)) {
    return { code: 21608, status: 400, message: `The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers.` };
  }
  if (hasOptedOut(ctx.db, to, from)) return { code: 21610, status: 400, message: "Attempt to send to unsubscribed recipient" };
  return { to, from, body, service, callback };
}

/**
 * A place in the sender's queue. Twilio does not refuse a sender's messages beyond its rate: it queues them and sends
 * one per 1/MPS seconds. A message that would wait longer than the queue's maximum is refused with 21611 when sent
 * from a number, and accepted then failed with 30001 when sent through a messaging service (Twilio's 21611 page).
 */
function queuePlace(ctx: EmulatorContext, sender: string, now: number): { sendAt: number; overflow: boolean } {
  let free = ctx.senderQueues.get(sender);
  if (free === undefined) free = (lastQueuedSendAt(ctx.db, sender) ?? 0) + 1000 / ctx.mps;
  const sendAt = Math.max(now + ctx.delays.queuedMs, free);
  if (sendAt - now > ctx.maxQueueWaitMs) return { sendAt: now + ctx.maxQueueWaitMs, overflow: true };
  ctx.senderQueues.set(sender, sendAt + 1000 / ctx.mps);
  return { sendAt, overflow: false };
}

export function createMessage(ctx: EmulatorContext, form: URLSearchParams): Response {
  const v = validate(ctx, form);
  if ("code" in v) return fail(v);
  const now = Date.now();
  const sender = v.service ?? v.from;
  const place = queuePlace(ctx, sender, now);
  if (place.overflow && !v.service) {
    return fail({ code: 21611, status: 400, message: "This 'From' number has exceeded the maximum number of queued messages." });
  }
  const row = insertMessage(ctx.db, {
    sid: `SM${randomBytes(16).toString("hex")}`,
    accountSid: ctx.accountSid,
    messagingServiceSid: v.service,
    direction: "outbound-api",
    from: v.from,
    to: v.to,
    body: v.body,
    // With a messaging service Twilio first "accepts" the message, then queues it on a sender.
    status: v.service ? "accepted" : "queued",
    numSegments: v.service ? 0 : segmentInfo(v.body).segments,
    statusCallback: v.callback,
    // No callback is sent for the initial status (Twilio's "Outbound Message Status in Status Callbacks").
    callbackStatus: v.service ? "accepted" : "queued",
    nextAt: v.service ? Math.min(now + ctx.delays.acceptedMs, place.sendAt) : place.sendAt,
    sendAt: place.sendAt,
    failCode: place.overflow ? 30001 : null,
    dateCreated: now,
    dateUpdated: now,
  });
  ctx.lifecycle.wake(row.nextAt!);
  return Response.json(messageJson(row), { status: 201 });
}

export function fetchMessage(ctx: EmulatorContext, sid: string, path: string): Response {
  const m = getMessage(ctx.db, sid);
  if (!m || m.accountSid !== ctx.accountSid) return errorResponse(404, 20404, `The requested resource ${path} was not found`);
  return Response.json(messageJson(m));
}

function parseDateSent(query: URLSearchParams) {
  for (const [key, op] of [["DateSent", "="], ["DateSent<", "<"], ["DateSent>", ">"]] as const) {
    const value = query.get(key);
    if (!value) continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return { error: `${key} must be a date (YYYY-MM-DD) or an ISO 8601 date-time` };
    return { filter: { op, ms, dayOnly: /^\d{4}-\d{2}-\d{2}$/.test(value) } };
  }
  return {};
}

export function listMessagesPage(ctx: EmulatorContext, query: URLSearchParams, path: string): Response {
  const pageSize = Math.min(Math.max(Number(query.get("PageSize")) || 50, 1), 1000);
  const page = Math.max(Number(query.get("Page")) || 0, 0);
  const dateSent = parseDateSent(query);
  if (dateSent.error) return errorResponse(400, 20001, dateSent.error);
  const token = query.get("PageToken");
  const after = token?.startsWith("PA") ? getMessage(ctx.db, token.slice(2)) : undefined;
  if (token && !after) return errorResponse(400, 20001, `Invalid PageToken ${token}`);
  const to = query.get("To") ?? undefined;
  const from = query.get("From") ?? undefined;
  const rows = listMessages(ctx.db, {
    accountSid: ctx.accountSid,
    to,
    from,
    // A tester can make new messages show up late, as an eventually consistent list would.
    createdBefore: Date.now() - ctx.faults.get().listLagMs,
    dateSent: dateSent.filter,
    after: after ? { dateCreated: after.dateCreated, sid: after.sid } : undefined,
    limit: pageSize + 1,
  });
  const items = rows.slice(0, pageSize);
  const filters: Record<string, string> = {};
  if (to) filters.To = to;
  if (from) filters.From = from;
  for (const key of ["DateSent", "DateSent<", "DateSent>"]) if (query.get(key)) filters[key] = query.get(key)!;
  const uriOf = (p: number, pageToken?: string) =>
    `${path}?${new URLSearchParams({ ...filters, PageSize: String(pageSize), Page: String(p), ...(pageToken ? { PageToken: pageToken } : {}) })}`;
  const last = items[items.length - 1];
  return Response.json(
    pageJson("messages", items.map(messageJson), {
      page,
      pageSize,
      uri: uriOf(page, token ?? undefined),
      firstPageUri: uriOf(0),
      nextPageUri: rows.length > pageSize && last ? uriOf(page + 1, `PA${last.sid}`) : null,
      // Paging back from a keyset page restarts at the first page, which always holds the newest messages.
      previousPageUri: page > 0 ? uriOf(0) : null,
    }),
  );
}
