// Yoti notification signatures: RSA-PSS, SHA-256, MGF1-SHA256, over the body minus sequence_number and signature with
// whitespace removed. Yoti signs with the MAXIMUM salt length (signature length - 32 - 2 bytes); we verify with
// automatic salt detection, as Yoti's own Node sample does, so any valid PSS salt length is accepted.
import { constants, createPublicKey, sign, verify } from "node:crypto";
import { notificationSchema, type Notification } from "./schemas";

/**
 * The signed bytes: the received JSON object with `sequence_number` and `signature` removed, keys in received order,
 * all whitespace removed. JSON.parse keeps the order of (non-numeric) keys, so re-serialising reproduces it.
 */
export function canonicalNotification(body: Record<string, unknown>): Buffer {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (key !== "sequence_number" && key !== "signature") rest[key] = value;
  return Buffer.from(JSON.stringify(rest).replace(/\s+/g, ""), "utf8");
}

const PADDING = constants.RSA_PKCS1_PSS_PADDING;

/** Signs a notification body as Yoti does (maximum salt length; used by the emulator); returns the body with `signature` added. */
export function signNotification<T extends Record<string, unknown>>(body: T, privateKeyPem: string): T & { signature: string } {
  const signature = sign("sha256", canonicalNotification(body), { key: privateKeyPem, padding: PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN });
  return { ...body, signature: signature.toString("base64") };
}

/** Whether `signature` (base64) is a PSS signature of the body's canonical form under `publicKeyPem`, whatever its salt length. */
export function isYotiSignature(body: Record<string, unknown>, signature: string, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    return verify("sha256", canonicalNotification(body), { key, padding: PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** How far from our clock a genuine notification's timestamp may be before we stop acting on it (it is still acknowledged). */
export const FRESHNESS = { maxAgeSeconds: 3600, maxAheadSeconds: 300 };

export type VerifyOutcome =
  | {
      ok: true;
      notification: Notification;
      /** Signed by Yoti, but its timestamp is outside the freshness window: acknowledge it, never act on its content. */
      stale?: "too old" | "in the future";
    }
  | { ok: false; reason: "malformed" | "bad_signature"; message: string };

/** A notification that is not Yoti's: forged (bad_signature) or not Yoti's documented shape (malformed). */
export class NotificationRejected extends Error {
  constructor(
    readonly reason: "malformed" | "bad_signature",
    message: string,
  ) {
    super(message);
    this.name = "NotificationRejected";
  }
}

/** Verifies the raw body of a notification: parse, check the signature against Yoti's public key, then freshness. */
export function verifyNotification(raw: string, publicKeyPem: string, opts: { nowSeconds: number; maxAgeSeconds?: number }): VerifyOutcome {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "malformed", message: "The notification body is not JSON." };
  }
  const parsed = notificationSchema.safeParse(body);
  if (!parsed.success || typeof body !== "object" || body === null) {
    return { ok: false, reason: "malformed", message: "The notification does not have Yoti's documented fields." };
  }
  if (!isYotiSignature(body as Record<string, unknown>, parsed.data.signature, publicKeyPem)) {
    return { ok: false, reason: "bad_signature", message: "The notification signature does not match Yoti's public key." };
  }
  const age = opts.nowSeconds - parsed.data.timestamp;
  if (age > (opts.maxAgeSeconds ?? FRESHNESS.maxAgeSeconds)) return { ok: true, notification: parsed.data, stale: "too old" };
  if (age < -FRESHNESS.maxAheadSeconds) return { ok: true, notification: parsed.data, stale: "in the future" };
  return { ok: true, notification: parsed.data };
}

/** Why a notification was refused, in the operator's words with what to do (the console shows it beside the counts). */
export function notificationRefusalWords(reason: "malformed" | "bad_signature" | "too_large"): string {
  switch (reason) {
    case "bad_signature":
      return "The signature does not match YOTI_NOTIFICATION_PUBLIC_KEY: the key is not Yoti's current one for this environment (sandbox and production keys differ), or the request is forged.";
    case "malformed":
      return "The body is not a notification in Yoti's documented shape: not from Yoti, or Yoti changed its format (check docs/yoti.md).";
    case "too_large":
      return "The body was far larger than any Yoti notification: not from Yoti.";
  }
}
