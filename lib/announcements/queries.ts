// The announcements domain's query module: every read and write of its tables (announcements, the members' choices
// and consents, the messages each announcement became), and the audience as members in id order, a page at a time.
import "server-only";
import { and, asc, count, desc, eq, gt, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import {
  announcementConsents,
  announcementMessages,
  announcementPreferences,
  announcements,
  members,
  outbox,
  profiles,
  type Announcement,
  type AnnouncementAudience,
  type AnnouncementMessage,
  type AnnouncementPreference,
} from "@/db/schema";

// ---- Announcements -----------------------------------------------------------------------------------------------

export type NewAnnouncement = Pick<Announcement, "title" | "body" | "audience" | "inApp" | "email" | "sms" | "createKey" | "createdBy">;

/** Inserts a draft, or finds the one this form's key already made (a double submit); `created` says which. */
export function insertAnnouncement(tx: Tx, values: NewAnnouncement): { announcement: Announcement; created: boolean } {
  const inserted = tx.insert(announcements).values(values).onConflictDoNothing({ target: announcements.createKey }).returning().get();
  if (inserted) return { announcement: inserted, created: true };
  return { announcement: tx.select().from(announcements).where(eq(announcements.createKey, values.createKey)).get()!, created: false };
}

export function announcementById(db: Db | Tx, id: string): Announcement | undefined {
  return db.select().from(announcements).where(eq(announcements.id, id)).get();
}

export function listAnnouncements(db: Db, limit = 50): Announcement[] {
  return db.select().from(announcements).orderBy(desc(announcements.createdAt), desc(announcements.id)).limit(limit).all();
}

/** draft -> sending, only from draft: of two concurrent sends exactly one changes the row. */
export function markSending(tx: Tx, id: string, by: string, at: Date): boolean {
  return tx.update(announcements).set({ state: "sending", sentBy: by, sendStartedAt: at }).where(and(eq(announcements.id, id), eq(announcements.state, "draft"))).run().changes > 0;
}

export function markDiscarded(tx: Tx, id: string): boolean {
  return tx.update(announcements).set({ state: "discarded" }).where(and(eq(announcements.id, id), eq(announcements.state, "draft"))).run().changes > 0;
}

/** After a batch: where the next one starts; `done` when the audience is exhausted. */
export function advanceCursor(tx: Tx, id: string, cursor: string | null, done: boolean, at: Date): void {
  tx.update(announcements)
    .set(done ? { cursor, state: "sent", queuedAt: at } : { cursor })
    .where(and(eq(announcements.id, id), eq(announcements.state, "sending")))
    .run();
}

/** Announcements whose recipients are still being queued (a restart resumes them). */
export function sendingIds(db: Db): string[] {
  return db.select({ id: announcements.id }).from(announcements).where(eq(announcements.state, "sending")).all().map((r) => r.id);
}

// ---- The audience --------------------------------------------------------------------------------------------------

export type AudienceRow = {
  memberId: string;
  email: string;
  emailVerifiedAt: Date | null;
  phone: string | null;
  phoneVerifiedAt: Date | null;
  /** Null: no choices saved (shown in the app; no email, no SMS). */
  inApp: boolean | null;
  emailConsentAt: Date | null;
  smsConsentAt: Date | null;
  smsConsentPhone: string | null;
};

const audienceWhere: Record<AnnouncementAudience, SQL | undefined> = {
  all: undefined,
  age_verified: eq(profiles.yotiVerified, true),
  opted_in: or(isNotNull(announcementPreferences.emailConsentAt), isNotNull(announcementPreferences.smsConsentAt)),
};

/** The next `limit` enabled members of the audience after member id `after`, in id order (the queuing cursor's order). */
export function audiencePage(db: Db | Tx, audience: AnnouncementAudience, after: string | null, limit: number): AudienceRow[] {
  return db
    .select({
      memberId: members.id,
      email: members.email,
      emailVerifiedAt: members.emailVerifiedAt,
      phone: profiles.phone,
      phoneVerifiedAt: profiles.phoneVerifiedAt,
      inApp: announcementPreferences.inApp,
      emailConsentAt: announcementPreferences.emailConsentAt,
      smsConsentAt: announcementPreferences.smsConsentAt,
      smsConsentPhone: announcementPreferences.smsConsentPhone,
    })
    .from(members)
    .leftJoin(profiles, eq(profiles.memberId, members.id))
    .leftJoin(announcementPreferences, eq(announcementPreferences.memberId, members.id))
    .where(and(isNull(members.disabledAt), after ? gt(members.id, after) : undefined, audienceWhere[audience]))
    .orderBy(asc(members.id))
    .limit(limit)
    .all();
}

// ---- Members' choices and consents ---------------------------------------------------------------------------------

export function preferenceRow(db: Db | Tx, memberId: string): AnnouncementPreference | undefined {
  return db.select().from(announcementPreferences).where(eq(announcementPreferences.memberId, memberId)).get();
}

export function upsertPreference(tx: Tx, row: Omit<AnnouncementPreference, "updatedAt">): void {
  const { inApp, emailConsentAt, smsConsentAt, smsConsentPhone } = row;
  tx.insert(announcementPreferences)
    .values(row)
    .onConflictDoUpdate({ target: announcementPreferences.memberId, set: { inApp, emailConsentAt, smsConsentAt, smsConsentPhone, updatedAt: new Date() } })
    .run();
}

export function recordConsent(tx: Tx, entry: { memberId: string; channel: "Email" | "SMS"; given: boolean; phone?: string | null; source: "preferences" | "unsubscribe"; at: Date }): void {
  tx.insert(announcementConsents).values({ ...entry, phone: entry.phone ?? null }).run();
}

// ---- Messages and progress -----------------------------------------------------------------------------------------

/** One message of an announcement; null when this member already has one on this channel (nothing twice). */
export function insertMessage(tx: Tx, values: Pick<AnnouncementMessage, "announcementId" | "memberId" | "channel" | "state"> & Partial<Pick<AnnouncementMessage, "id" | "outboxId" | "reason">>): AnnouncementMessage | null {
  return tx.insert(announcementMessages).values(values).onConflictDoNothing().returning().get() ?? null;
}

export function setMessageOutbox(tx: Tx, id: string, outboxId: string): void {
  tx.update(announcementMessages).set({ outboxId }).where(eq(announcementMessages.id, id)).run();
}

export function messageById(db: Db | Tx, id: string): AnnouncementMessage | undefined {
  return db.select().from(announcementMessages).where(eq(announcementMessages.id, id)).get();
}

/** A message refused before it was queued (a daily cap, the monthly budget): failed, with the reason. */
export function setMessageFailed(tx: Tx, id: string, reason: string): void {
  tx.update(announcementMessages).set({ state: "failed", reason }).where(eq(announcementMessages.id, id)).run();
}

export function setMessageReason(tx: Tx, id: string, reason: string | null): void {
  tx.update(announcementMessages).set({ reason }).where(eq(announcementMessages.id, id)).run();
}

// An email or SMS's outcome is its outbox row's (kept right by the outbox for every writer, cancellation included);
// in-app ones are shown, and refusals before queuing failed.
const outcome = sql<string>`coalesce(${outbox.outcome}, case ${announcementMessages.state} when 'shown' then 'shown' when 'failed' then 'failed' else 'pending' end)`;

/** Messages per channel and outcome (pending, sent, delivered, failed, cancelled, shown). */
export function outcomeCounts(db: Db, announcementId: string): { channel: "InApp" | "Email" | "SMS"; outcome: string; n: number }[] {
  return db
    .select({ channel: announcementMessages.channel, outcome, n: count() })
    .from(announcementMessages)
    .leftJoin(outbox, eq(outbox.id, announcementMessages.outboxId))
    .where(eq(announcementMessages.announcementId, announcementId))
    .groupBy(announcementMessages.channel, outcome)
    .all();
}

/** Why messages failed, per channel and reason, most frequent first. */
export function failureReasons(db: Db, announcementId: string, limit = 10): { channel: "InApp" | "Email" | "SMS"; reason: string; n: number }[] {
  const reason = sql<string>`coalesce(${announcementMessages.reason}, ${outbox.lastError}, 'No reason was given.')`;
  return db
    .select({ channel: announcementMessages.channel, reason, n: count() })
    .from(announcementMessages)
    .leftJoin(outbox, eq(outbox.id, announcementMessages.outboxId))
    .where(and(eq(announcementMessages.announcementId, announcementId), eq(outcome, "failed")))
    .groupBy(announcementMessages.channel, reason)
    .orderBy(desc(count()))
    .limit(limit)
    .all();
}
