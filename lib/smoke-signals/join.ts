// An invitee joining through a smoke signal's link: the signal is marked joined and its sender is told, in the app and
// (if they asked for it) by email or SMS through the outbox, all in one transaction.
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, messagingPreferences, profiles, smokeSignals, type JoinAlert, type SmokeSignal } from "@/db/schema";
import { enqueue } from "@/lib/outbox/queue";
import { notify } from "@/lib/notifications/notifications";
import { maskRecipient } from "./compose";
import { JOIN_ALERT, memberKey, setSignalStatus } from "./delivery";

export function findInvitation(db: Db, token: string): (SmokeSignal & { senderLabel: string }) | null {
  if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return null;
  const found = db
    .select({ signal: smokeSignals, screenName: profiles.screenName })
    .from(smokeSignals)
    .leftJoin(profiles, eq(profiles.memberId, smokeSignals.senderId))
    .where(eq(smokeSignals.joinToken, token))
    .get();
  if (!found) return null;
  return { ...found.signal, senderLabel: found.signal.senderName ?? found.screenName ?? "A member" };
}

/** Marks the invitation joined by `memberId` and tells its sender. False when the link was already used or unknown. */
export function markJoined(db: Db, token: string, memberId: string, appUrl: string): boolean {
  return db.$client
    .transaction(() => {
      const signal = db.select().from(smokeSignals).where(and(eq(smokeSignals.joinToken, token), isNull(smokeSignals.joinedAt))).get();
      if (!signal || signal.senderId === memberId) return false;
      db.update(smokeSignals).set({ joinedAt: new Date(), joinedMemberId: memberId }).where(eq(smokeSignals.id, signal.id)).run();
      setSignalStatus(db, signal.id, { status: signal.status, note: "The invitee joined" });
      const who = maskRecipient(signal.recipient);
      const text = `Your smoke signal to ${who} worked: they have joined Select Exposure.`;
      notify(db, signal.senderId, text, "/smoke-signals");
      const prefs = db.select().from(messagingPreferences).where(eq(messagingPreferences.memberId, signal.senderId)).get();
      const owner = { purpose: JOIN_ALERT, ownerId: signal.id, fairnessKey: memberKey(signal.senderId) };
      if (prefs?.joinAlert === "email") {
        const sender = db.select().from(members).where(eq(members.id, signal.senderId)).get();
        if (sender) enqueue(db, { channel: "Email", recipient: sender.email, subject: "Your invitee joined Select Exposure", body: `${text}\n\n${appUrl}/smoke-signals\n`, ...owner });
      } else if (prefs?.joinAlert === "sms" && prefs.alertPhone) {
        enqueue(db, { channel: "SMS", recipient: prefs.alertPhone, body: `Select Exposure: ${text}`, ...owner });
      }
      return true;
    })
    .immediate();
}

export function getJoinAlert(db: Db, memberId: string): { joinAlert: JoinAlert; alertPhone: string | null } {
  const row = db.select().from(messagingPreferences).where(eq(messagingPreferences.memberId, memberId)).get();
  return { joinAlert: row?.joinAlert ?? "none", alertPhone: row?.alertPhone ?? null };
}

export function setJoinAlert(db: Db, memberId: string, joinAlert: JoinAlert, alertPhone: string | null): void {
  db.insert(messagingPreferences)
    .values({ memberId, joinAlert, alertPhone })
    .onConflictDoUpdate({ target: messagingPreferences.memberId, set: { joinAlert, alertPhone } })
    .run();
}
