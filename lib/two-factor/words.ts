// Words about two-factor that pages on both sides of the wire show (pure, no secrets).

/** Why SMS codes are offered only beside an authenticator app, never instead of it. */
export const SMS_WHY =
  "Text messages can be intercepted (a criminal can take over a phone number with a SIM swap, or read texts on the phone network), so SMS codes are only offered beside your authenticator app, never instead of it.";
