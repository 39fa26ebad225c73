// Every domain that sends through the outbox, registered with it. Each entry point that runs the outbox or applies
// its provider reports (instrumentation, the status-callback route, scripts, tests) calls registerSenders() first;
// the outbox itself imports no domain.
import "server-only";
import { OPERATOR_ALERT } from "@/lib/console/operator-mail";
import { registerOutboxSender } from "@/lib/outbox/senders";
import { JOIN_ALERT, joinAlertSender, SMOKE_SIGNAL, smokeSignalSender } from "@/lib/smoke-signals/delivery";

export function registerSenders(): void {
  registerOutboxSender(SMOKE_SIGNAL, smokeSignalSender);
  registerOutboxSender(JOIN_ALERT, joinAlertSender);
  // The console's alert emails to administrators: nothing to refuse, no record to update.
  registerOutboxSender(OPERATOR_ALERT, {});
}
