// Impersonation and email hygiene: one-line sender names, no control characters, unsubscribe with RFC 8058 and a
// suppression list checked before sending, and one mailbox however it is written.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emailSuppressions, outbox, smokeSignals } from "@/db/schema";
import { mailboxKey } from "@/lib/email/address";
import { addressForToken, isEmailSuppressed, listUnsubscribeHeaders, suppressEmail } from "@/lib/email/unsubscribe";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal, refusalOf, TEST_ENV } from "@/lib/testing/messaging";
import { sendSchema } from "./send";

const fieldsOf = (body: Record<string, unknown>) => {
  const parsed = sendSchema.safeParse({ to: "a@b.co", channel: "Email", message: "hi", ...body });
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("what a member may write", () => {
  it("refuses a sender name that is not one line of plain text", () => {
    expect(fieldsOf({ sender: "Ana\nSelect Exposure Support" }).sender).toMatch(/one line/);
    expect(fieldsOf({ sender: "Ana\u2028Support" }).sender).toMatch(/one line/);
    expect(fieldsOf({ sender: "Ana\u0007" }).sender).toMatch(/control characters/);
    expect(fieldsOf({ sender: "\u202eanA" }).sender).toMatch(/text-direction/);
    expect(fieldsOf({ sender: "A\u200bna" }).sender).toMatch(/invisible/);
    expect(fieldsOf({ sender: "Ana-María O'Neil" })).toEqual({});
  });

  it("refuses control characters and direction overrides in the message, keeps line breaks and tabs", () => {
    expect(fieldsOf({ message: "Hello\u0000there" }).message).toMatch(/control characters/);
    expect(fieldsOf({ message: "Hello\u001b[31m" }).message).toMatch(/control characters/);
    expect(fieldsOf({ message: "Join: \u202emoc.live" }).message).toMatch(/text-direction/);
    expect(fieldsOf({ message: "Line one\r\nLine two\twith a tab" })).toEqual({});
    expect(sendSchema.parse({ to: "a@b.co", channel: "Email", message: "one\r\ntwo" }).message).toBe("one\ntwo");
  });
});

describe("invitation emails", () => {
  it("end with a visible unsubscribe link whose token stops that address, mirrored in RFC 8058 headers", () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { channel: "Email", to: "Friend@Example.com" });
    const mail = db.select().from(outbox).all()[0]!;
    const token = /\/unsubscribe\/([A-Za-z0-9_-]{22})\n$/.exec(mail.body)![1]!;
    expect(mail.html).toContain(`/unsubscribe/${token}">Unsubscribe</a>`);
    expect(addressForToken(db, token)).toBe(signal.recipient);
    expect(listUnsubscribeHeaders(db, TEST_ENV.appUrl, { to: mail.recipient, text: mail.body })).toEqual({
      "List-Unsubscribe": `<https://members.example.com/api/email/unsubscribe/${token}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("get no header from a link that is not their own: a member cannot make one recipient's mail unsubscribe another", () => {
    const db = testDb();
    const member = makeMember(db);
    queueSignal(db, member, { channel: "Email", to: "victim@example.com" });
    const victimToken = /\/unsubscribe\/([A-Za-z0-9_-]{22})\n$/.exec(db.select().from(outbox).all()[0]!.body)![1]!;
    const forged = `Hi\n${TEST_ENV.appUrl}/unsubscribe/${victimToken}\n`;
    expect(listUnsubscribeHeaders(db, TEST_ENV.appUrl, { to: "someone-else@example.com", text: forged })).toEqual({});
    expect(listUnsubscribeHeaders(db, TEST_ENV.appUrl, { to: "victim@example.com", text: "no link at all" })).toEqual({});
  });

  it("are refused for an unsubscribed mailbox, with the reason, whatever +tag or case the address is written with", () => {
    const db = testDb();
    suppressEmail(db, "Sam+Clubs@Example.com", "one-click");
    const e = refusalOf(() => queueSignal(db, makeMember(db), { channel: "Email", to: "sam@example.com" }));
    expect(e).toMatchObject({ status: 400, code: "recipient_unsubscribed", fields: { to: expect.stringContaining("unsubscribed") } });
    expect(refusalOf(() => queueSignal(db, makeMember(db), { channel: "Email", to: "SAM+other@example.com" })).code).toBe("recipient_unsubscribed");
    expect(db.select().from(smokeSignals).all()).toHaveLength(0);
  });

  it("count name+tag@domain as name@domain for the per-recipient limit", () => {
    const db = testDb();
    const env = { ...TEST_ENV, limits: { ...TEST_ENV.limits, perRecipientPerDay: 2 } };
    const member = makeMember(db);
    queueSignal(db, member, { channel: "Email", to: "sam@example.com" }, env);
    queueSignal(db, member, { channel: "Email", to: "sam+one@example.com" }, env);
    expect(refusalOf(() => queueSignal(db, member, { channel: "Email", to: "Sam+two@Example.com" }, env)).code).toBe("recipient_daily_limit");
    expect(mailboxKey(" Sam+Two@Example.COM ")).toBe("sam@example.com");
    expect(mailboxKey("+weird@example.com")).toBe("+weird@example.com");
  });

  it("count a Gmail address however its dots are placed (and googlemail.com) as one mailbox, for limits and unsubscribes", () => {
    const db = testDb();
    const env = { ...TEST_ENV, limits: { ...TEST_ENV.limits, perRecipientPerDay: 2 } };
    const member = makeMember(db);
    queueSignal(db, member, { channel: "Email", to: "sam.jones@gmail.com" }, env);
    queueSignal(db, member, { channel: "Email", to: "samjones@gmail.com" }, env);
    expect(refusalOf(() => queueSignal(db, member, { channel: "Email", to: "S.a.m.Jones+x@GoogleMail.com" }, env)).code).toBe("recipient_daily_limit");
    // An unsubscribe from one spelling stops every spelling; other domains keep their dots (they may be other people).
    suppressEmail(db, "ann.lee@googlemail.com", "link");
    expect(isEmailSuppressed(db, "annlee@gmail.com")).toBe(true);
    expect(isEmailSuppressed(db, "a.n.n.l.e.e+news@gmail.com")).toBe(true);
    expect(mailboxKey("ann.lee@example.com")).toBe("ann.lee@example.com");
    expect(isEmailSuppressed(db, "annlee@example.com")).toBe(false);
  });

  it("re-keys suppression entries kept before Gmail's dots were folded (migration 0009)", () => {
    const db = testDb();
    const migration = fs.readFileSync(path.join(process.cwd(), "db", "migrations", "0009_fold_gmail_dots.sql"), "utf8");
    // Rows as the old key wrote them; the second already has its folded twin, so it is left as it was.
    db.insert(emailSuppressions).values([{ mailbox: "old.entry@googlemail.com", source: "link" }, { mailbox: "twin.row@gmail.com", source: "link" }, { mailbox: "twinrow@gmail.com", source: "one-click" }, { mailbox: "keep.dots@example.com", source: "link" }]).run();
    db.$client.exec(migration);
    expect(isEmailSuppressed(db, "oldentry@gmail.com")).toBe(true);
    expect(isEmailSuppressed(db, "twin.row@gmail.com")).toBe(true);
    expect(db.select({ mailbox: emailSuppressions.mailbox }).from(emailSuppressions).all().map((r) => r.mailbox).sort()).toEqual(["keep.dots@example.com", "oldentry@gmail.com", "twin.row@gmail.com", "twinrow@gmail.com"]);
  });
});
