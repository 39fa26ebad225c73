// Every domain that sends through the outbox, registered with it. Each entry point that runs the outbox or applies
// its provider reports (instrumentation, the status-callback route, scripts, tests) calls registerSenders() first;
// the outbox itself imports no domain.
import "server-only";
import { OPERATOR_ALERT } from "@/lib/console/operator-mail";
import { ACCOUNT_MESSAGE } from "@/lib/account-messages/send";
import { accountMessagesSender } from "@/lib/account-messages/sender";
import { ACCOUNT_ALERT } from "@/lib/alerts/raise";
import { accountAlertSender } from "@/lib/alerts/sender";
import { ANNOUNCEMENT } from "@/lib/announcements/sending";
import { announcementSender } from "@/lib/announcements/sender";
import { registerOutboxSender } from "@/lib/outbox/senders";
import { JOIN_ALERT, joinAlertSender, SMOKE_SIGNAL, smokeSignalSender } from "@/lib/smoke-signals/delivery";

export function registerSenders(): void {
  registerOutboxSender(SMOKE_SIGNAL, smokeSignalSender);
  registerOutboxSender(ACCOUNT_ALERT, accountAlertSender);
  registerOutboxSender(ACCOUNT_MESSAGE, accountMessagesSender);
  registerOutboxSender(ANNOUNCEMENT, announcementSender);
  // Join alerts queued before they became account alerts (migration 0004) still go out.
  registerOutboxSender(JOIN_ALERT, joinAlertSender);
  // The console's alert emails to administrators: nothing to refuse, no record to update.
  registerOutboxSender(OPERATOR_ALERT, {});
}
