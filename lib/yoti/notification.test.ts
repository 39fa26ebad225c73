import { constants, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pssSaltLength } from "@/lib/testing/pss";
import example from "./fixtures/notification-example.json";
import signedFixture from "./fixtures/notification-signed.json";
import { canonicalNotification, signNotification, verifyNotification } from "./notification";

const pair = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const yoti = pair();
const stranger = pair();
const NOW = example.timestamp + 5;

const { signature: _placeholder, ...unsigned } = example;
void _placeholder;
const signed = () => signNotification(unsigned, yoti.privateKey);

describe("a notification exactly as Yoti signs it (committed fixture: throwaway key, body, maximum-salt signature)", () => {
  const body = JSON.parse(signedFixture.raw) as Record<string, unknown> & { signature: string; timestamp: number };
  const now = { nowSeconds: body.timestamp + 10 };

  it("is signed over the canonical form: no sequence_number, no signature, keys in received order, no whitespace", () => {
    expect(canonicalNotification(body).toString("utf8")).toBe(signedFixture.canonical);
  });

  it("carries a maximum-length salt (signature length - 32 - 2 = 222 bytes), read from the signature itself", () => {
    expect(pssSaltLength(Buffer.from(signedFixture.canonical), body.signature, signedFixture.publicKeyPem)).toBe(signedFixture.saltLength);
    expect(signedFixture.saltLength).toBe(256 - 32 - 2);
  });

  it("is accepted by our verifier", () => {
    expect(verifyNotification(signedFixture.raw, signedFixture.publicKeyPem, now)).toMatchObject({ ok: true, notification: { id: body.id, state: "COMPLETE" } });
    expect(verifyNotification(signedFixture.raw, signedFixture.publicKeyPem, now)).not.toHaveProperty("stale");
  });

  it("would be refused by a verifier fixed to a digest-length salt (the bug this fixture guards against)", () => {
    const fixed = verify(
      "sha256",
      Buffer.from(signedFixture.canonical),
      { key: signedFixture.publicKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      Buffer.from(body.signature, "base64"),
    );
    expect(fixed).toBe(false);
  });

  it("is refused once any signed field changes, or under another key", () => {
    const tampered = JSON.stringify({ ...body, state: "FAIL" });
    expect(verifyNotification(tampered, signedFixture.publicKeyPem, now)).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(verifyNotification(signedFixture.raw, stranger.publicKey, now)).toMatchObject({ ok: false, reason: "bad_signature" });
  });
});

describe("notification signatures", () => {
  it("sign the documented body without sequence_number and signature, keys in order, no whitespace", () => {
    const text = canonicalNotification({ ...example }).toString();
    expect(text.startsWith('{"method":"AGE_ESTIMATION","result":false,"age":30,"session_key":')).toBe(true);
    expect(text).not.toMatch(/\s/);
    expect(text).not.toContain("sequence_number");
    expect(text).not.toContain("signature");
  });

  it("are made with the maximum salt length, as Yoti makes them (the emulator signs with this)", () => {
    const body = signed();
    expect(pssSaltLength(canonicalNotification(body), body.signature, yoti.publicKey)).toBe(222);
  });

  it("accept a correctly signed notification", () => {
    const outcome = verifyNotification(JSON.stringify(signed()), yoti.publicKey, { nowSeconds: NOW });
    expect(outcome).toMatchObject({ ok: true, notification: { id: example.id, state: "FAIL" } });
  });

  it("accept whitespace and a changed sequence_number, which are not signed", () => {
    const body = { ...signed(), sequence_number: 7 };
    expect(verifyNotification(JSON.stringify(body, null, 2), yoti.publicKey, { nowSeconds: NOW }).ok).toBe(true);
  });

  it("reject a changed field", () => {
    const tampered = { ...signed(), state: "COMPLETE" };
    expect(verifyNotification(JSON.stringify(tampered), yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("reject a notification signed with another key", () => {
    const forged = signNotification(unsigned, stranger.privateKey);
    expect(verifyNotification(JSON.stringify(forged), yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("reject a wrong signature, including Yoti's documented placeholder", () => {
    expect(verifyNotification(JSON.stringify(example), yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "bad_signature" });
    const swapped = { ...signed(), signature: signNotification({ ...unsigned, age: 31 }, yoti.privateKey).signature };
    expect(verifyNotification(JSON.stringify(swapped), yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("reject reordered keys, since the order is part of what Yoti signs", () => {
    const body = signed();
    const reordered = { signature: body.signature, ...Object.fromEntries(Object.entries(body).reverse()) };
    expect(verifyNotification(JSON.stringify(reordered), yoti.publicKey, { nowSeconds: NOW }).ok).toBe(false);
  });

  it("mark a genuine notification outside the freshness window as stale (still genuine), and reject malformed bodies", () => {
    expect(verifyNotification(JSON.stringify(signed()), yoti.publicKey, { nowSeconds: NOW + 2 * 3600 })).toMatchObject({ ok: true, stale: "too old" });
    expect(verifyNotification(JSON.stringify(signed()), yoti.publicKey, { nowSeconds: NOW - 3600 })).toMatchObject({ ok: true, stale: "in the future" });
    expect(verifyNotification("not json", yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "malformed" });
    expect(verifyNotification("{}", yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "malformed" });
  });
});
