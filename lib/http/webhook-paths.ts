// Where providers and mail clients call the app: each path written once for the code that builds the URL we give
// them, the CSRF exemptions (lib/http/csrf.ts) and the doctor. Pure, so the proxy can use it.

/** Yoti's signed notification (POST) and the member's browser coming back from Yoti's page (GET). */
export const YOTI_CALLBACK_PATH = "/api/accounts/profile/yoti/callback";
/** Twilio's signed status callbacks (the StatusCallback given with every send). */
export const TWILIO_STATUS_CALLBACK_PATH = "/api/twilio/status-callback";
/** Twilio's signed inbound-SMS webhook (the number's "A message comes in" setting). */
export const TWILIO_INBOUND_PATH = "/api/twilio/inbound";
/** RFC 8058 one-click unsubscribe; the token follows. */
export const EMAIL_UNSUBSCRIBE_PATH = "/api/email/unsubscribe";
