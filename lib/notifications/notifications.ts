// In-app notifications: short messages a member sees on their smoke signals page (e.g. "your invitee joined").
import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";

export function notify(tx: Tx, memberId: string, text: string, link?: string): void {
  tx.insert(notifications).values({ memberId, text, link: link ?? null }).run();
}

export function recentNotifications(db: Db, memberId: string, limit = 10): Notification[] {
  return db.select().from(notifications).where(eq(notifications.memberId, memberId)).orderBy(desc(notifications.createdAt)).limit(limit).all();
}

export function markAllRead(db: Db, memberId: string): void {
  db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.memberId, memberId), isNull(notifications.readAt))).run();
}
