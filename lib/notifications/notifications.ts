// In-app notifications: the account alerts and other short messages a member sees behind the bell in the header, with
// what is unread; the alerts domain writes them (lib/alerts/raise.ts), the member reads and marks them read.
import "server-only";
import { and, count, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";

export type NewNotification = {
  text: string;
  link?: string | null;
  /** The alert event it tells of. */
  event?: string | null;
  /** False: kept as the alert's record but not shown (the member chose other channels). */
  inApp?: boolean;
  note?: string | null;
};

/** Writes a notification inside the caller's transaction; returns its id. */
export function notify(tx: Tx, memberId: string, n: NewNotification): string {
  return tx
    .insert(notifications)
    .values({ memberId, text: n.text, link: n.link ?? null, event: n.event ?? null, inApp: n.inApp ?? true, note: n.note ?? null })
    .returning({ id: notifications.id })
    .get().id;
}

const shownTo = (memberId: string) => and(eq(notifications.memberId, memberId), eq(notifications.inApp, true));

/** How many shown notifications the member has not read (the bell's count). */
export function unreadCount(db: Db, memberId: string): number {
  return db.select({ n: count() }).from(notifications).where(and(shownTo(memberId), isNull(notifications.readAt))).get()?.n ?? 0;
}

export type NotificationPage = { items: Notification[]; /** Pass as `before` for the next page; null on the last. */ next: string | null };

/**
 * The member's shown notifications, newest first, `limit` at a time; `before` continues after an item (its id) of
 * the previous page.
 */
export function listNotifications(db: Db, memberId: string, opts: { limit?: number; before?: string | null } = {}): NotificationPage {
  const limit = opts.limit ?? 20;
  const anchor = opts.before ? db.select().from(notifications).where(and(eq(notifications.id, opts.before), shownTo(memberId))).get() : undefined;
  const after = anchor
    ? or(lt(notifications.createdAt, anchor.createdAt), and(eq(notifications.createdAt, anchor.createdAt), lt(notifications.id, anchor.id)))
    : undefined;
  const rows = db
    .select()
    .from(notifications)
    .where(and(shownTo(memberId), after))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Marks one of the member's notifications read; false when it is not theirs (or not there). */
export function markRead(db: Db, memberId: string, id: string): boolean {
  const mine = db.select({ id: notifications.id, readAt: notifications.readAt }).from(notifications).where(and(eq(notifications.id, id), shownTo(memberId))).get();
  if (!mine) return false;
  if (!mine.readAt) db.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, id)).run();
  return true;
}

/** Marks every shown notification of the member read; returns how many were unread. */
export function markAllRead(db: Db, memberId: string): number {
  return db.update(notifications).set({ readAt: new Date() }).where(and(shownTo(memberId), isNull(notifications.readAt))).run().changes;
}

export function notificationById(db: Db | Tx, id: string): Notification | undefined {
  return db.select().from(notifications).where(eq(notifications.id, id)).get();
}

/** Changes whether a notification is shown and its note (e.g. a security alert whose other channels all failed). */
export function updateNotification(tx: Db | Tx, id: string, change: { inApp: boolean; note: string | null }): void {
  tx.update(notifications).set(change).where(eq(notifications.id, id)).run();
}
