// Test helper: decodes an RSA-PSS (SHA-256, MGF1-SHA256) signature by hand (RFC 8017 EMSA-PSS-VERIFY) to read the salt
// length the signer used, independently of node:crypto's verifier, which accepts any salt length when auto-detecting.
import { createHash, createPublicKey, publicDecrypt, constants } from "node:crypto";

function mgf1(seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; out.length * 32 < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(createHash("sha256").update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** The salt length of a valid PSS signature of `message`, or null when the signature does not verify. */
export function pssSaltLength(message: Buffer, signatureBase64: string, publicKeyPem: string): number | null {
  const key = createPublicKey(publicKeyPem);
  const modBits = (key.asymmetricKeyDetails?.modulusLength ?? 2048) as number;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const raw = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(signatureBase64, "base64"));
  const em = raw.subarray(raw.length - emLen);
  if (em[emLen - 1] !== 0xbc) return null;
  const hLen = 32;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = mgf1(h, maskedDb.length);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ mask[i]!));
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const one = db.indexOf(0x01);
  if (one < 0 || db.subarray(0, one).some((b) => b !== 0)) return null;
  const salt = db.subarray(one + 1);
  const mHash = createHash("sha256").update(message).digest();
  const expected = createHash("sha256").update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return expected.equals(h) ? salt.length : null;
}
