// The Messages section: the filters an operator can use (checked, with plain errors), each message as the log shows it
// (masked recipient, timeline, error code in words, segments and price) and the CSV export of a filtered set.
import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { MESSAGE_OUTCOMES, type OutboxAttempt } from "@/db/schema";
import { maskRecipient } from "@/lib/smoke-signals/compose";
import { explainTwilioCode } from "@/lib/twilio/errors";
import { dateRange, fieldProblems, firstValues, optionalText, pageNumber, type FieldProblems, type QueryParams } from "./filters";
import { formatMoney } from "./money";
import { attemptsOf, memberByEmailOrId, messageBatch, messageById, messageCount, messagePage, type MessageQuery, type MessageRow } from "./queries/messages";

export const PAGE_SIZE = 50;

export const messageFiltersSchema = z
  .object({
    status: optionalText(z.enum(MESSAGE_OUTCOMES, { error: `Status must be one of ${MESSAGE_OUTCOMES.join(", ")}.` })),
    channel: optionalText(z.enum(["SMS", "Email"], { error: "Channel must be SMS or Email." })),
    member: optionalText(z.string().max(254, "That member is too long to be an email address or an id.")),
    page: pageNumber,
  })
  .and(dateRange);
export type MessageFilters = z.infer<typeof messageFiltersSchema>;

export type ParsedFilters = { ok: true; filters: MessageFilters; query: MessageQuery; memberLabel: string | null } | { ok: false; problems: FieldProblems };

/** Reads the filters from a query string; the member filter takes an exact email or a member id. */
export function parseMessageFilters(db: Db, params: QueryParams): ParsedFilters {
  const flat = firstValues(params);
  const parsed = messageFiltersSchema.safeParse(flat);
  if (!parsed.success) return { ok: false, problems: fieldProblems(parsed.error) };
  const f = parsed.data;
  let memberId: string | undefined;
  let memberLabel: string | null = null;
  if (f.member) {
    const found = memberByEmailOrId(db, f.member);
    if (!found) return { ok: false, problems: { member: "No member has that email address or id (a deleted member's messages no longer name them)." } };
    memberId = found.id;
    memberLabel = found.email;
  }
  return { ok: true, filters: f, memberLabel, query: { outcome: f.status, channel: f.channel, from: f.fromDate, until: f.untilDate, memberId } };
}

export type TimelineStep = { at: Date; label: string; code: number | null };

const STEP: Record<string, (a: OutboxAttempt, channel: string) => string> = {
  sent: (a, channel) => (channel === "SMS" ? `Accepted by Twilio (${a.detail?.split(" ")[1] ?? "queued"})` : "Accepted by the mail server"),
  status: (a) => `Twilio: ${a.detail ?? "status"}`,
  retry: (a) => `Not sent yet, retrying: ${a.detail ?? ""}`,
  unknown: (a) => `Outcome unknown, looked up before any resend: ${a.detail ?? ""}`,
  found: () => "Found at Twilio: an earlier attempt had gone through",
  not_found: (a) => a.detail ?? "Not found at Twilio",
  check_failed: (a) => `Could not look it up at Twilio: ${a.detail ?? ""}`,
  failed: (a) => `Failed: ${a.detail ?? ""}`,
  suppressed: () => "Not sent: the number replied STOP",
  refused: (a) => `Not sent: ${a.detail ?? "refused"}`,
};

/** Plain words for a message's error: Twilio's code explained, or what the mail server or the outbox said. */
export function errorWords(m: Pick<MessageRow, "channel" | "errorCode" | "lastError" | "outcome">): string | null {
  if (m.channel === "SMS" && m.errorCode !== null) return explainTwilioCode(m.errorCode).operatorMessage.replace(/^Twilio error \d+: /, "");
  if (m.outcome === "failed" || m.outcome === "cancelled") return m.lastError;
  return null;
}

export type MessageView = MessageRow & { to: string; price: string | null; reason: string | null; timeline: TimelineStep[] };

function view(m: MessageRow, attempts: OutboxAttempt[]): MessageView {
  return {
    ...m,
    to: maskRecipient(m.recipient),
    price: m.priceMicros === null ? null : formatMoney(m.priceMicros, m.priceUnit ?? "USD"),
    reason: errorWords(m),
    timeline: [
      { at: m.createdAt, label: "Queued", code: null },
      ...attempts.map((a) => ({ at: a.finishedAt, label: (STEP[a.outcome] ?? ((x: OutboxAttempt) => `${x.outcome}: ${x.detail ?? ""}`))(a, m.channel).trim(), code: a.errorCode })),
    ],
  };
}

export function listMessages(db: Db, query: MessageQuery, page: number): { items: MessageView[]; total: number; pages: number } {
  const rows = messagePage(db, query, page, PAGE_SIZE);
  const attempts = attemptsOf(db, rows.map((r) => r.id));
  const byMessage = new Map<string, OutboxAttempt[]>();
  for (const a of attempts) {
    const list = byMessage.get(a.outboxId);
    if (list) list.push(a);
    else byMessage.set(a.outboxId, [a]);
  }
  const total = messageCount(db, query);
  return { items: rows.map((r) => view(r, byMessage.get(r.id) ?? [])), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export function getMessage(db: Db, id: string): MessageView | null {
  const row = messageById(db, id);
  return row ? view(row, attemptsOf(db, [id])) : null;
}

// ---- CSV -------------------------------------------------------------------------------------------------------------

const CSV_HEADER = ["id", "created_at", "channel", "purpose", "member", "recipient", "status", "provider_status", "error_code", "error_reason", "segments", "price", "price_unit", "sent_at"];

/**
 * One CSV field: quoted when needed, and a leading = + - @ (or tab/CR) neutralised with an apostrophe, so a
 * spreadsheet never runs a cell as a formula (OWASP CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(m: MessageRow): string {
  return [
    m.id,
    m.createdAt.toISOString(),
    m.channel,
    m.purpose,
    m.memberEmail,
    maskRecipient(m.recipient),
    m.outcome,
    m.providerStatus,
    m.errorCode,
    errorWords(m),
    m.segments,
    m.priceMicros === null ? null : (m.priceMicros / 1_000_000).toFixed(5),
    m.priceUnit,
    m.sentAt?.toISOString() ?? null,
  ]
    .map(csvField)
    .join(",");
}

const EXPORT_BATCH = 2_000;

/** The filtered set as CSV, produced batch by batch (newest first) as the response is read. */
export function messagesCsv(db: Db, query: MessageQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { createdAt: Date; id: string } | null = null;
  let started = false;
  return new ReadableStream({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${CSV_HEADER.join(",")}\r\n`));
        return;
      }
      const batch = messageBatch(db, query, after, EXPORT_BATCH);
      if (batch.length) controller.enqueue(encoder.encode(batch.map((m) => `${csvRow(m)}\r\n`).join("")));
      if (batch.length < EXPORT_BATCH) controller.close();
      else after = { createdAt: batch.at(-1)!.createdAt, id: batch.at(-1)!.id };
    },
  });
}
