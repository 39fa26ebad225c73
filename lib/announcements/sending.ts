// Writing and sending an announcement. A draft is made once per compose form (a double submit finds it again); sending
// is a one-way step from draft (a second send is refused in words), recorded in the audit log in the same transaction.
// Recipients are then queued through the outbox a batch of members per transaction, with a cursor on the announcement,
// so a process that dies mid-way resumes where the last committed batch ended, and nothing is queued twice (the cursor
// and a unique row per member and channel). The dispatcher sends them; each announcement is one fairness key, so a big
// one never holds up anyone's codes or alerts.
import "server-only";
import { randomUUID } from "node:crypto";
import { remember } from "@epic-web/remember";
import { immediate, getDb, type Db } from "@/db/client";
import type { Announcement, Member } from "@/db/schema";
import { AccountSmsRefused, takePlatformSms, type AccountSmsEnv } from "@/lib/account-messages/send";
import { recordAudit } from "@/lib/console/audit";
import { fieldProblems } from "@/lib/console/filters";
import { createUnsubscribeToken, unsubscribePageUrl } from "@/lib/email/unsubscribe";
import { getEnv, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { notify } from "@/lib/notifications/notifications";
import { enqueue } from "@/lib/outbox/queue";
import { kickDispatcher } from "@/lib/outbox/dispatcher";
import { reachOf } from "./audience";
import { AnnouncementRefused } from "./errors";
import { advanceCursor, announcementById, audiencePage, insertAnnouncement, insertMessage, markDiscarded, markSending, sendingIds, setMessageFailed, setMessageOutbox, type AudienceRow } from "./queries";
import { draftSchema } from "./draft";
import { ANNOUNCEMENT_EVENT, AUDIENCE_LABELS, smsText } from "./text";

/** The outbox purpose of announcement emails and texts. */
export const ANNOUNCEMENT = "announcement";

export type AnnouncementEnv = AccountSmsEnv & Pick<Env, "appUrl">;

const channelsOf = (a: Pick<Announcement, "inApp" | "email" | "sms">) => [a.inApp && "in the app", a.email && "email", a.sms && "SMS"].filter(Boolean).join(", ");

/**
 * Makes a draft from the compose form (checked in plain words; nothing changes when refused). `createKey` is the form's
 * one-time key: the same key again returns the draft it made.
 */
export function createDraft(db: Db, admin: Pick<Member, "id" | "email">, input: Record<string, unknown>, createKey: unknown): { announcement: Announcement; created: boolean } {
  if (typeof createKey !== "string" || !/^[0-9a-f-]{36}$/.test(createKey)) {
    throw new AnnouncementRefused(400, "stale_form", "This form is out of date. Reload the page and write the announcement again.");
  }
  const parsed = draftSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldProblems(parsed.error);
    throw new AnnouncementRefused(400, "invalid_announcement", `${Object.values(fields)[0]} Nothing was saved.`, fields);
  }
  const d = parsed.data;
  return immediate(db, () => {
    const made = insertAnnouncement(db, { ...d, createKey, createdBy: admin.email });
    if (made.created) {
      recordAudit(db, admin, {
        action: "announcement.create",
        targetType: "announcement",
        targetId: made.announcement.id,
        targetLabel: d.title,
        after: { audience: AUDIENCE_LABELS[d.audience], channels: channelsOf(d) },
      });
    }
    return made;
  });
}

function refuseUnlessDraft(a: Announcement | undefined): asserts a is Announcement {
  if (!a) throw new AnnouncementRefused(404, "not_found", "There is no such announcement.");
  if (a.state === "discarded") throw new AnnouncementRefused(409, "discarded", "This announcement was discarded; it cannot be sent. Write a new one.");
  if (a.state !== "draft") {
    const when = a.sendStartedAt ? ` on ${a.sendStartedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "";
    throw new AnnouncementRefused(409, "already_sent", `This announcement was sent already (by ${a.sentBy ?? "an administrator"}${when}). An announcement is sent once; nothing was sent again.`);
  }
}

export function discardDraft(db: Db, admin: Pick<Member, "id" | "email">, id: string): void {
  immediate(db, () => {
    const a = announcementById(db, id);
    refuseUnlessDraft(a);
    markDiscarded(db, id);
    recordAudit(db, admin, { action: "announcement.discard", targetType: "announcement", targetId: id, targetLabel: a.title });
  });
}

/**
 * Starts sending: draft -> sending with an audit entry, in one transaction; of two clicks exactly one gets here, the
 * other is refused with AnnouncementRefused (409). The recipients are queued in the background (runQueue).
 */
export function startSending(db: Db, admin: Pick<Member, "id" | "email">, id: string, env: AnnouncementEnv = getEnv()): Announcement {
  const started = immediate(db, () => {
    const a = announcementById(db, id);
    refuseUnlessDraft(a);
    markSending(db, id, admin.email, new Date());
    recordAudit(db, admin, { action: "announcement.send", targetType: "announcement", targetId: id, targetLabel: a.title, after: { audience: AUDIENCE_LABELS[a.audience], channels: channelsOf(a) } });
    return announcementById(db, id)!;
  });
  void runQueue(db, env, id);
  return started;
}

const MAX_NOTIFICATION = 500;
const notificationText = (a: Announcement) => {
  const text = `${a.title} — ${a.body.replace(/\s+/g, " ")}`;
  return text.length > MAX_NOTIFICATION ? `${text.slice(0, MAX_NOTIFICATION - 1)}…` : text;
};

function emailText(tx: Db, env: AnnouncementEnv, a: Announcement, memberId: string, to: string): string {
  // The last line is the unsubscribe link: the mailer mirrors it in List-Unsubscribe (RFC 8058, decision 015).
  const token = createUnsubscribeToken(tx, to, { memberId, event: ANNOUNCEMENT_EVENT });
  return `${a.body}\n\n--\nYou asked for Select Exposure announcements by email on ${env.appUrl}/profile/preferences. Stop these emails: ${unsubscribePageUrl(env.appUrl, token)}\n`;
}

/** Queues the announcement for one member of its audience (inside the batch's transaction); how many messages. */
function queueFor(tx: Db, env: AnnouncementEnv, a: Announcement, row: AudienceRow): number {
  const reach = reachOf(tx, env, a, row);
  const base = { announcementId: a.id, memberId: row.memberId };
  const fairnessKey = `announcement:${a.id}`;
  let n = 0;
  if (reach.inApp && insertMessage(tx, { ...base, channel: "InApp", state: "shown" })) {
    notify(tx, row.memberId, { text: notificationText(a), event: ANNOUNCEMENT_EVENT });
    n++;
  }
  if (reach.email) {
    const msg = insertMessage(tx, { ...base, id: randomUUID(), channel: "Email", state: "queued" });
    if (msg) {
      const queued = enqueue(tx, { channel: "Email", recipient: reach.email, subject: a.title, body: emailText(tx, env, a, row.memberId, reach.email), purpose: ANNOUNCEMENT, ownerId: msg.id, fairnessKey, memberId: row.memberId });
      setMessageOutbox(tx, msg.id, queued.id);
      n++;
    }
  }
  if (reach.sms) {
    const msg = insertMessage(tx, { ...base, id: randomUUID(), channel: "SMS", state: "queued" });
    if (msg) {
      try {
        const phone = takePlatformSms(tx, env, reach.sms);
        const queued = enqueue(tx, { channel: "SMS", recipient: phone.e164, body: smsText(a.title, a.body), purpose: ANNOUNCEMENT, ownerId: msg.id, fairnessKey, memberId: row.memberId });
        setMessageOutbox(tx, msg.id, queued.id);
        n++;
      } catch (error) {
        if (!(error instanceof AccountSmsRefused)) throw error;
        setMessageFailed(tx, msg.id, error.message);
      }
    }
  }
  return n;
}

/**
 * Members queued per transaction. Measured on the 2-core machine (decision 065): about 2 ms a member with all three
 * channels, so a batch holds the write lock for about 0.2 s and 10,000 members take about 20 s in the background; one
 * transaction for all of them would have held it for 20 s, stalling every sign-in and send meanwhile.
 */
export const QUEUE_BATCH = 100;

/**
 * Queues the next batch of an announcement being sent, in one transaction that also moves its cursor (so a batch is
 * queued whole or not at all, and never twice). `done` once the audience is exhausted (the announcement is then "sent").
 */
export function queueBatch(db: Db, env: AnnouncementEnv, id: string, limit = QUEUE_BATCH, now = new Date()): { done: boolean; queued: number } {
  return immediate(db, () => {
    const a = announcementById(db, id);
    if (!a || a.state !== "sending") return { done: true, queued: 0 };
    const rows = audiencePage(db, a.audience, a.cursor, limit);
    let queued = 0;
    for (const row of rows) queued += queueFor(db, env, a, row);
    const done = rows.length < limit;
    advanceCursor(db, id, rows.at(-1)?.memberId ?? a.cursor, done, now);
    return { done, queued };
  });
}

// Announcements this process is queuing now (another process may queue the same one: its batches wait for the write
// lock and read the moved cursor, so the two never queue the same members).
const running = remember("announcements.running", () => new Set<string>());

/** Queues every batch of the announcement, yielding between batches so requests are served meanwhile. */
export async function runQueue(db: Db, env: AnnouncementEnv, id: string): Promise<void> {
  if (running.has(id)) return;
  running.add(id);
  try {
    for (;;) {
      const batch = queueBatch(db, env, id);
      if (batch.queued) kickDispatcher();
      if (batch.done) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    log.error({ err: error, announcement: id }, "queuing an announcement failed; it resumes from its last batch within 10 seconds");
  } finally {
    running.delete(id);
  }
}

/** Resumes every announcement left mid-queue (a restart, a crash, a failed batch). */
export function resumeQueues(db: Db = getDb(), env: AnnouncementEnv = getEnv()): void {
  for (const id of sendingIds(db)) void runQueue(db, env, id);
}

/** Starts this process's resumption timer once (lib/startup.ts). */
export function startAnnouncementQueue(): void {
  const tick = () => {
    try {
      resumeQueues();
    } catch (error) {
      log.error({ err: error }, "resuming announcements failed");
    }
  };
  remember("announcements.resume", () => {
    setTimeout(tick, 1_000).unref();
    return setInterval(tick, 10_000).unref();
  });
}
