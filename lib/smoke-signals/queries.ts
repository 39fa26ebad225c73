// Reading smoke signals as the API shows them: a member sees only their own, an admin sees all; recipients are masked.
import "server-only";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { smokeSignalEvents, smokeSignals, type Member, type SmokeSignal, type SmokeSignalEvent } from "@/db/schema";
import { maskRecipient } from "./compose";

export type SignalView = {
  id: string;
  channel: SmokeSignal["channel"];
  to: string;
  message: string;
  status: SmokeSignal["status"];
  providerStatus: string | null;
  errorCode: number | null;
  reason: string | null;
  joined: boolean;
  joinedAt: string | null;
  createdAt: string;
  updatedAt: string;
  senderId?: string;
};

export type TimelineEntry = { at: string; status: SmokeSignalEvent["status"]; providerStatus: string | null; errorCode: number | null; note: string | null };

export function toView(s: SmokeSignal, viewer: Member): SignalView {
  return {
    id: s.id,
    channel: s.channel,
    to: maskRecipient(s.recipient),
    message: s.message,
    status: s.status,
    providerStatus: s.providerStatus,
    errorCode: s.errorCode,
    reason: s.reason,
    joined: s.joinedAt !== null,
    joinedAt: s.joinedAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    ...(viewer.role === "admin" ? { senderId: s.senderId } : {}),
  };
}

const visibleTo = (viewer: Member) => (viewer.role === "admin" ? undefined : eq(smokeSignals.senderId, viewer.id));

export function listSignals(db: Db, viewer: Member, page: number, pageSize: number) {
  const where = visibleTo(viewer);
  const rows = db
    .select()
    .from(smokeSignals)
    .where(where)
    // rowid breaks ties between signals created in the same millisecond, in insertion order.
    .orderBy(desc(smokeSignals.createdAt), desc(sql`${smokeSignals}.rowid`))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const total = db.select({ n: count() }).from(smokeSignals).where(where).get()?.n ?? 0;
  return { items: rows.map((r) => toView(r, viewer)), page, pageSize, total, hasMore: page * pageSize < total };
}

/** One signal with its timeline, or null when it does not exist or is not the viewer's to see. */
export function getSignal(db: Db, viewer: Member, id: string): (SignalView & { timeline: TimelineEntry[] }) | null {
  const where = visibleTo(viewer);
  const row = db.select().from(smokeSignals).where(where ? and(eq(smokeSignals.id, id), where) : eq(smokeSignals.id, id)).get();
  if (!row) return null;
  const events = db.select().from(smokeSignalEvents).where(eq(smokeSignalEvents.signalId, id)).orderBy(asc(smokeSignalEvents.id)).all();
  return {
    ...toView(row, viewer),
    timeline: events.map((e) => ({ at: e.at.toISOString(), status: e.status, providerStatus: e.providerStatus, errorCode: e.errorCode, note: e.note })),
  };
}
