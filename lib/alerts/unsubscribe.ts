// What an email's unsubscribe link stops. An invitation's link puts the mailbox on the invitation suppression list
// (people who never signed up asked not to be invited); an activity alert's link switches that alert's email off in
// the member's own preferences; an announcement's link withdraws the member's consent to announcement emails (recorded
// with its time). Account alerts never consult the invitation list: they are not invitations.
import "server-only";
import type { Db } from "@/db/client";
import { isEmailSuppressed, suppressEmail, unsubscribeToken, unsuppressEmail } from "@/lib/email/unsubscribe";
import { ANNOUNCEMENT_EVENT } from "@/lib/announcements/text";
import { announcementChoices, setAnnouncementEmail } from "@/lib/announcements/preferences";
import { ALERTS, isAlertEvent, type AlertEvent } from "./catalogue";
import { alertChoices, setAlertEmail } from "./preferences";

export type UnsubscribeLink =
  | { kind: "invitations"; address: string }
  | { kind: "alert"; address: string; memberId: string; event: AlertEvent; label: string }
  | { kind: "announcements"; address: string; memberId: string };

/** What the link's token stops, or null for a token we never issued. */
export function unsubscribeLink(db: Db, token: string): UnsubscribeLink | null {
  const found = unsubscribeToken(db, token);
  if (!found) return null;
  if (found.memberId && found.event === ANNOUNCEMENT_EVENT) return { kind: "announcements", address: found.address, memberId: found.memberId };
  if (found.memberId && isAlertEvent(found.event)) {
    return { kind: "alert", address: found.address, memberId: found.memberId, event: found.event, label: ALERTS[found.event].label };
  }
  return { kind: "invitations", address: found.address };
}

/** Whether what the link stops is stopped now. */
export function isStopped(db: Db, link: UnsubscribeLink): boolean {
  if (link.kind === "announcements") return !announcementChoices(db, link.memberId).email;
  return link.kind === "invitations" ? isEmailSuppressed(db, link.address) : !alertChoices(db, link.memberId)[link.event].email;
}

/** Stops it (idempotent); false when a security alert would be left with no channel (its email stays on). */
export function stop(db: Db, link: UnsubscribeLink, source: "one-click" | "link"): boolean {
  if (link.kind === "invitations") {
    suppressEmail(db, link.address, source);
    return true;
  }
  if (link.kind === "announcements") {
    setAnnouncementEmail(db, link.memberId, false);
    return true;
  }
  return setAlertEmail(db, link.memberId, link.event, false);
}

/** Takes it back ("I changed my mind"). */
export function restart(db: Db, link: UnsubscribeLink): void {
  if (link.kind === "invitations") unsuppressEmail(db, link.address);
  else if (link.kind === "announcements") setAnnouncementEmail(db, link.memberId, true);
  else setAlertEmail(db, link.memberId, link.event, true);
}
