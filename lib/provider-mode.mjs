// Which provider mode the environment selects, and where the server listens by default in it: decided by `npm start`
// before anything is compiled (scripts/start.mjs) and by the configuration (lib/env.ts), so written once, in plain
// JavaScript that Node runs without a loader.

/** Credentials of a real Yoti or Twilio account. */
export const CREDENTIAL_VARIABLES = Object.freeze([
  "YOTI_SDK_ID",
  "YOTI_API_KEY",
  "YOTI_PRIVATE_KEY",
  "YOTI_PRIVATE_KEY_PATH",
  "TWILIO_ACCOUNT_SID",
  "TWILIO_AUTH_TOKEN",
  "TWILIO_AUTH_TOKEN_SECONDARY",
  "TWILIO_API_KEY_SID",
  "TWILIO_API_KEY_SECRET",
  "YOTI_API_KEY_SECONDARY",
  "YOTI_PRIVATE_KEY_SECONDARY",
  "YOTI_PRIVATE_KEY_SECONDARY_PATH",
]);

/** Settings that only mean something to real providers: set without any credential they would be silently ignored. */
export const LIVE_ONLY_VARIABLES = Object.freeze(["TWILIO_PHONE_NUMBER", "TWILIO_MESSAGING_SERVICE_SID", "YOTI_NOTIFICATION_PUBLIC_KEY", "YOTI_NOTIFICATION_PUBLIC_KEY_PATH"]);

export const DEFAULT_PORT = 3000;

/**
 * Live as soon as any credential or live-only setting is present (blank counts as unset): a partial live set is a
 * configuration error for lib/env.ts to name, never a silent fall-back to the sandbox.
 * @param {Record<string, string | undefined>} source
 * @returns {"sandbox" | "live"}
 */
export function providerMode(source) {
  return [...CREDENTIAL_VARIABLES, ...LIVE_ONLY_VARIABLES].some((k) => (source[k] ?? "").trim() !== "") ? "live" : "sandbox";
}

/**
 * HOST when set; otherwise this machine only in sandbox mode (the emulators and caught mail must not be reachable)
 * and every interface in live mode.
 * @param {Record<string, string | undefined>} source
 */
export function listenHost(source) {
  return source.HOST?.trim() || (providerMode(source) === "sandbox" ? "127.0.0.1" : "0.0.0.0");
}
