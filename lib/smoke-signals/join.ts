// An invitee joining through a smoke signal's link: the signal is marked joined and its sender is told through the
// "invitee_joined" account alert (in the app, and by email or SMS as they chose), all in one transaction.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { SmokeSignal } from "@/db/schema";
import { raiseAlert, type AlertEnv } from "@/lib/alerts/raise";
import { isUrlToken } from "@/lib/http/url-token";
import { maskRecipient } from "./compose";
import { setSignalStatus } from "./delivery";
import { invitationByToken, markSignalJoined, unjoinedSignalByToken } from "./queries";

export function findInvitation(db: Db, token: string): (SmokeSignal & { senderLabel: string }) | null {
  if (!isUrlToken(token)) return null;
  const found = invitationByToken(db, token);
  if (!found) return null;
  return { ...found.signal, senderLabel: found.signal.senderName ?? found.screenName ?? "A member" };
}

export type JoinEnv = AlertEnv;

/** Marks the invitation joined by `memberId` and tells its sender. False when the link was already used or unknown. */
export function markJoined(db: Db, token: string, memberId: string, env: JoinEnv): boolean {
  return immediate(db, () => {
    const signal = unjoinedSignalByToken(db, token);
    if (!signal || signal.senderId === memberId) return false;
    markSignalJoined(db, signal.id, memberId);
    setSignalStatus(db, signal.id, { status: signal.status, note: "The invitee joined" });
    const to = signal.recipient ? ` to ${maskRecipient(signal.recipient)}` : "";
    const text =
      signal.channel === "Own phone"
        ? `The invitation you sent from your phone${to} worked: ${to ? "they have" : "someone has"} joined Select Exposure.`
        : `Your smoke signal${to} worked: they have joined Select Exposure.`;
    // Told as the member chose (lib/alerts): in the app, by email, by SMS to their verified number.
    raiseAlert(db, signal.senderId, "invitee_joined", { text }, env);
    return true;
  });
}
