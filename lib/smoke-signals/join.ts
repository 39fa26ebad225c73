// An invitee joining through a smoke signal's link: the signal is marked joined and its sender is told, in the app and
// (if they asked for it) by email or SMS through the outbox, all in one transaction. SMS alerts follow the platform's
// SMS rules: verified members, allowed countries, daily caps.
import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { immediate, type Db } from "@/db/client";
import { members, messagingPreferences, profiles, smokeSignals, type JoinAlert, type SmokeSignal } from "@/db/schema";
import type { Env } from "@/lib/env";
import { isUrlToken } from "@/lib/http/url-token";
import { enqueue } from "@/lib/outbox/queue";
import { normalisePhone } from "@/lib/twilio/phone";
import { notify } from "@/lib/notifications/notifications";
import { isVerified } from "@/lib/verification/service";
import { maskRecipient } from "./compose";
import { JOIN_ALERT, memberKey, setSignalStatus } from "./delivery";
import { SignalRefused } from "./errors";
import { countryRefusal, takeSmsBudget } from "./sms-policy";

export function findInvitation(db: Db, token: string): (SmokeSignal & { senderLabel: string }) | null {
  if (!isUrlToken(token)) return null;
  const found = db
    .select({ signal: smokeSignals, screenName: profiles.screenName })
    .from(smokeSignals)
    .leftJoin(profiles, eq(profiles.memberId, smokeSignals.senderId))
    .where(eq(smokeSignals.joinToken, token))
    .get();
  if (!found) return null;
  return { ...found.signal, senderLabel: found.signal.senderName ?? found.screenName ?? "A member" };
}

export type JoinEnv = Pick<Env, "appUrl" | "mode" | "smsCaps"> & { twilio: Pick<Env["twilio"], "allowedCountries" | "defaultCountry"> };

/**
 * Why the platform will not text this member's join alerts, or null: like any platform SMS, only for age-verified
 * members, to an allowed country (see sms-policy.ts).
 */
export function joinAlertSmsRefusal(db: Db, env: JoinEnv, memberId: string, phone: string): string | null {
  if (!isVerified(db, memberId)) return "SMS alerts come from Select Exposure, so they are for members who have verified their age. Choose email, or verify your age first.";
  return countryRefusal(env, { e164: phone, country: countryOf(env, phone) });
}

/** The destination country of a stored E.164 number (as the send form reads numbers, test ranges included). */
const countryOf = (env: JoinEnv, e164: string) => {
  const phone = normalisePhone(e164, env.twilio.defaultCountry);
  return phone.ok ? phone.country : undefined;
};

/** Marks the invitation joined by `memberId` and tells its sender. False when the link was already used or unknown. */
export function markJoined(db: Db, token: string, memberId: string, env: JoinEnv): boolean {
  return immediate(db, () => {
    const signal = db.select().from(smokeSignals).where(and(eq(smokeSignals.joinToken, token), isNull(smokeSignals.joinedAt))).get();
    if (!signal || signal.senderId === memberId) return false;
    db.update(smokeSignals).set({ joinedAt: new Date(), joinedMemberId: memberId }).where(eq(smokeSignals.id, signal.id)).run();
    setSignalStatus(db, signal.id, { status: signal.status, note: "The invitee joined" });
    const to = signal.recipient ? ` to ${maskRecipient(signal.recipient)}` : "";
    const text =
      signal.channel === "Own phone"
        ? `The invitation you sent from your phone${to} worked: ${to ? "they have" : "someone has"} joined Select Exposure.`
        : `Your smoke signal${to} worked: they have joined Select Exposure.`;
    const prefs = db.select().from(messagingPreferences).where(eq(messagingPreferences.memberId, signal.senderId)).get();
    let notSent = "";
    const owner = { purpose: JOIN_ALERT, ownerId: signal.id, fairnessKey: memberKey(signal.senderId), memberId: signal.senderId };
    if (prefs?.joinAlert === "email") {
      const sender = db.select().from(members).where(eq(members.id, signal.senderId)).get();
      if (sender) enqueue(db, { channel: "Email", recipient: sender.email, subject: "Your invitee joined Select Exposure", body: `${text}\n\n${env.appUrl}/smoke-signals\n`, ...owner });
    } else if (prefs?.joinAlert === "sms" && prefs.alertPhone) {
      // The alert number is held to the same rules and daily caps as any platform SMS (settings may have changed
      // since it was saved); when refused, the in-app notification says why instead.
      const refusal = joinAlertSmsRefusal(db, env, signal.senderId, prefs.alertPhone);
      try {
        if (refusal) throw new SignalRefused(400, "sms_not_allowed", refusal);
        takeSmsBudget(db, env, countryOf(env, prefs.alertPhone));
        enqueue(db, { channel: "SMS", recipient: prefs.alertPhone, body: `Select Exposure: ${text}`, ...owner });
      } catch (error) {
        if (!(error instanceof SignalRefused)) throw error;
        notSent = ` (We could not text you: ${error.message})`;
      }
    }
    notify(db, signal.senderId, `${text}${notSent}`, "/smoke-signals");
    return true;
    });
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
