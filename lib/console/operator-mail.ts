// The outbox purpose of the console's emails to administrators (alerts), apart so that registering its sender
// (lib/senders.ts, loaded by every webhook route) pulls in nothing else.
export const OPERATOR_ALERT = "operator_alert";
