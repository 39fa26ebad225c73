// What the outbox reports about alert emails and texts (purpose "account_alert"): kept on their account_messages row;
// an activity alert's email switched off while it waited is not sent; and when a channel fails for good the in-app
// notification says so, shown even if the member had switched the app off for a security alert, so that a security
// alert still reaches them.
import "server-only";
import { accountMessageSender } from "@/lib/account-messages/sender";
import { notificationById, updateNotification } from "@/lib/notifications/notifications";
import { isAlertEvent, isSecurityAlert } from "./catalogue";
import { alertChoices } from "./preferences";

export const accountAlertSender = accountMessageSender({
  refuse(tx, row, message) {
    if (message.channel !== "Email" || !row.memberId || !isAlertEvent(row.kind) || isSecurityAlert(row.kind)) return null;
    if (alertChoices(tx, row.memberId)[row.kind].email) return null;
    return { errorCode: null, operatorMessage: "the member switched this alert's email off before it was sent", memberMessage: "You switched these emails off." };
  },
  onFailed(tx, row, failure) {
    if (!row.notificationId || !isAlertEvent(row.kind)) return;
    const notification = notificationById(tx, row.notificationId);
    if (!notification) return;
    const note = `We could not ${row.channel === "SMS" ? "text" : "email"} you this alert: ${failure.memberMessage}`;
    updateNotification(tx, notification.id, {
      inApp: notification.inApp || isSecurityAlert(row.kind),
      note: notification.note ? `${notification.note} ${note}` : note,
    });
  },
});
