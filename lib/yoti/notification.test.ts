import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import example from "./fixtures/notification-example.json";
import { canonicalNotification, signNotification, verifyNotification } from "./notification";

const pair = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const yoti = pair();
const stranger = pair();
const NOW = example.timestamp + 5;

const { signature: _placeholder, ...unsigned } = example;
void _placeholder;
const signed = () => signNotification(unsigned, yoti.privateKey);

describe("notification signatures", () => {
  it("sign the documented body without sequence_number and signature, keys in order, no whitespace", () => {
    const text = canonicalNotification({ ...example }).toString();
    expect(text.startsWith('{"method":"AGE_ESTIMATION","result":false,"age":30,"session_key":')).toBe(true);
    expect(text).not.toMatch(/\s/);
    expect(text).not.toContain("sequence_number");
    expect(text).not.toContain("signature");
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

  it("reject stale timestamps and malformed bodies", () => {
    expect(verifyNotification(JSON.stringify(signed()), yoti.publicKey, { nowSeconds: NOW + 2 * 3600 })).toMatchObject({ ok: false, reason: "stale" });
    expect(verifyNotification("not json", yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "malformed" });
    expect(verifyNotification("{}", yoti.publicKey, { nowSeconds: NOW })).toMatchObject({ ok: false, reason: "malformed" });
  });
});
