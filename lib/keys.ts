// Keys derived from AUTH_SECRET for one purpose each (HKDF-SHA-256), so no stored secret or code hash can be used
// without the server's secret, and one purpose's key says nothing about another's.
import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

type Purpose = "phone-code" | "totp-secret";

const cache = new Map<string, Buffer>();

function key(secret: string, purpose: Purpose): Buffer {
  const id = `${purpose}\0${secret}`;
  let k = cache.get(id);
  if (!k) cache.set(id, (k = Buffer.from(hkdfSync("sha256", secret, "select-exposure", `${purpose}-v1`, 32))));
  return k;
}

/** HMAC-SHA-256 (hex) of `value` under the purpose's key. */
export function keyedHash(secret: string, purpose: Purpose, value: string): string {
  return createHmac("sha256", key(secret, purpose)).update(value).digest("hex");
}

/** AES-256-GCM under the purpose's key: "v1.<iv>.<tag>.<ciphertext>" (base64url). */
export function seal(secret: string, purpose: Purpose, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret, purpose), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plain text of a sealed value, or null when it was sealed under another secret (AUTH_SECRET changed) or altered. */
export function unseal(secret: string, purpose: Purpose, sealed: string): string | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret, purpose), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
