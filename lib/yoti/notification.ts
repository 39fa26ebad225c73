// Yoti notification signatures: RSA-PSS with SHA-256 over the body minus sequence_number and signature, whitespace removed.
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

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };

/** Signs a notification body as Yoti does (used by the emulator); returns the body with `signature` added. */
export function signNotification<T extends Record<string, unknown>>(body: T, privateKeyPem: string): T & { signature: string } {
  const signature = sign("sha256", canonicalNotification(body), { key: privateKeyPem, ...PSS }).toString("base64");
  return { ...body, signature };
}

export type VerifyOutcome =
  | { ok: true; notification: Notification }
  | { ok: false; reason: "malformed" | "bad_signature" | "stale"; message: string };

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
  let valid = false;
  try {
    valid = verify("sha256", canonicalNotification(body as Record<string, unknown>), { key: createPublicKey(publicKeyPem), ...PSS }, Buffer.from(parsed.data.signature, "base64"));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad_signature", message: "The notification signature does not match Yoti's public key." };
  const maxAge = opts.maxAgeSeconds ?? 3600;
  const skew = opts.nowSeconds - parsed.data.timestamp;
  if (skew > maxAge || skew < -300) {
    return { ok: false, reason: "stale", message: `The notification's timestamp is ${skew > 0 ? "too old" : "in the future"}.` };
  }
  return { ok: true, notification: parsed.data };
}
