// The Verifications section: sessions by status and method per day, pass rate, median time from start to result, a
// filtered list, and one session's history (what we store: statuses, method, dates; no personal data beyond that).
import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { dateRange, fieldProblems, firstValues, optionalText, pageNumber, type FieldProblems, type QueryParams } from "./filters";
import { memberByEmailOrId } from "./queries/messages";
import { countsPerDay, resultTimes, sessionById, sessionCount, sessionPage, type SessionQuery, type SessionRow } from "./queries/verifications";

export const SESSION_STATUSES = ["PENDING", "IN_PROGRESS", "COMPLETE", "FAIL", "ERROR", "CANCELLED", "EXPIRED"] as const;
export const METHOD_FILTERS = ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN", "NONE"] as const;
export const PAGE_SIZE = 50;
const DAY = 24 * 3600_000;
/** Without dates the section shows the last 30 days. */
export const DEFAULT_DAYS = 30;

const filtersSchema = z
  .object({
    status: optionalText(z.enum(SESSION_STATUSES, { error: `Status must be one of ${SESSION_STATUSES.join(", ")}.` })),
    method: optionalText(z.enum(METHOD_FILTERS, { error: `Method must be one of ${METHOD_FILTERS.join(", ")}.` })),
    member: optionalText(z.string().max(254, "That member is too long to be an email address or an id.")),
    page: pageNumber,
  })
  .and(dateRange)
  .refine((f) => !f.fromDate || !f.untilDate || f.untilDate.getTime() - f.fromDate.getTime() <= 366 * DAY, { path: ["to"], message: "Choose at most a year." });

export type SessionFilters = z.infer<typeof filtersSchema>;
export type ParsedSessionFilters = { ok: true; filters: SessionFilters; query: SessionQuery } | { ok: false; problems: FieldProblems };

const startOfUtcDay = (t: number) => Math.floor(t / DAY) * DAY;

export function parseSessionFilters(db: Db, params: QueryParams, now = new Date()): ParsedSessionFilters {
  const flat = firstValues(params);
  const parsed = filtersSchema.safeParse(flat);
  if (!parsed.success) return { ok: false, problems: fieldProblems(parsed.error) };
  const f = parsed.data;
  let memberId: string | undefined;
  if (f.member) {
    const found = memberByEmailOrId(db, f.member);
    if (!found) return { ok: false, problems: { member: "No member has that email address or id." } };
    memberId = found.id;
  }
  const until = f.untilDate ?? new Date(startOfUtcDay(now.getTime()) + DAY);
  const from = f.fromDate ?? new Date(until.getTime() - DEFAULT_DAYS * DAY);
  return { ok: true, filters: f, query: { from, until, status: f.status, method: f.method, memberId } };
}

export type DayStats = { day: string; total: number; byStatus: Record<string, number>; byMethod: Record<string, number> };

export type VerificationStats = {
  days: DayStats[];
  total: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  /** COMPLETE / (COMPLETE + FAIL): how many of the age checks that reached a result passed. */
  passRate: number | null;
  /** Median ms from the session's start to its result (COMPLETE or FAIL). */
  medianMs: number | null;
  results: number;
};

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every day of the period (zero-filled), the totals, pass rate and median time to result. */
export function verificationStats(db: Db, q: Pick<SessionQuery, "from" | "until">, now = new Date()): VerificationStats {
  const rows = countsPerDay(db, q.from, q.until, now);
  const days = new Map<string, DayStats>();
  for (let t = startOfUtcDay(q.from.getTime()); t < q.until.getTime(); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, total: 0, byStatus: {}, byMethod: {} });
  }
  const byStatus: Record<string, number> = {};
  const byMethod: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    const d = days.get(r.day);
    const method = r.method ?? "NONE";
    if (d) {
      d.total += r.n;
      d.byStatus[r.status] = (d.byStatus[r.status] ?? 0) + r.n;
      d.byMethod[method] = (d.byMethod[method] ?? 0) + r.n;
    }
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    byMethod[method] = (byMethod[method] ?? 0) + r.n;
    total += r.n;
  }
  const results = (byStatus.COMPLETE ?? 0) + (byStatus.FAIL ?? 0);
  return {
    days: [...days.values()],
    total,
    byStatus,
    byMethod,
    passRate: results ? (byStatus.COMPLETE ?? 0) / results : null,
    medianMs: median(resultTimes(db, q.from, q.until)),
    results,
  };
}

export function listSessions(db: Db, q: SessionQuery, page: number, now = new Date()): { items: SessionRow[]; total: number; pages: number } {
  const total = sessionCount(db, q, now);
  return { items: sessionPage(db, q, now, page, PAGE_SIZE), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export function getSession(db: Db, id: string) {
  return sessionById(db, id);
}

/** "1 min 20 s" style. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
