import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { adminAudit, announcementMessages, announcements, members, notifications, outbox, profiles, type Member } from "@/db/schema";
import { isStopped, stop, unsubscribeLink } from "@/lib/alerts/unsubscribe";
import { saveAlertChoices } from "@/lib/alerts/preferences";
import { listUnsubscribeHeaders } from "@/lib/email/unsubscribe";
import { Dispatcher } from "@/lib/outbox/dispatcher";
import { SANDBOX_POLICY } from "@/lib/outbox/policy";
import { applyStatusCallback } from "@/lib/outbox/tracking";
import { deleteOwnAccount } from "@/lib/privacy/deletion";
import { exportMemberData } from "@/lib/privacy/export";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { fakePorts, fakeTwilio, makeMember, TEST_ENV, thrownBy } from "@/lib/testing/messaging";
import { previewAnnouncement } from "./audience";
import { AnnouncementRefused } from "./errors";
import { AnnouncementChoicesRefused, announcementChoices, saveAnnouncementChoices } from "./preferences";
import { announcementProgress, progressLine } from "./progress";
import { createDraft, queueBatch, startSending } from "./sending";
import { draftSchema } from "./draft";
import { SMS_OPT_OUT_LINE, smsShape, smsText } from "./text";

const ENV = { ...TEST_ENV, mode: "sandbox" as const, twilio: { ...TEST_ENV.twilio, allowedCountries: ["GB", "IE"], defaultCountry: "GB" } };
const running: Dispatcher[] = [];
afterEach(() => running.splice(0).forEach((d) => d.stop()));

/** Runs a dispatcher with a fake Twilio until nothing is due; what it texted. */
async function dispatchAll(db: Db) {
  const twilio = fakeTwilio();
  const d = new Dispatcher({ db, mps: 100, ports: fakePorts(twilio.port), pollMs: 10, policy: SANDBOX_POLICY }).start();
  running.push(d);
  await d.drained();
  return twilio;
}

let keys = 0;
const key = () => `00000000-0000-4000-8000-${String(++keys).padStart(12, "0")}`;

function member(db: Db, opts: { verified?: boolean; phone?: string; emailConfirmed?: boolean } = {}): Member {
  const m = makeMember(db, "member", { verified: opts.verified ?? false });
  if (opts.emailConfirmed ?? true) db.update(members).set({ emailVerifiedAt: new Date() }).where(eq(members.id, m.id)).run();
  if (opts.phone) db.update(profiles).set({ phone: opts.phone, phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, m.id)).run();
  return m;
}

const draft = (db: Db, admin: Member, input: Partial<{ title: string; body: string; audience: string; inApp: boolean; email: boolean; sms: boolean }> = {}) =>
  createDraft(db, admin, { title: "The summer contest is open", body: "Send us your best shot by 31 July.", audience: "all", inApp: true, email: true, sms: true, ...input }, key()).announcement;

const refusal = (fn: () => unknown) => thrownBy(AnnouncementRefused, fn);

function sendAll(db: Db, admin: Member, id: string) {
  startSending(db, admin, id, ENV);
  while (!queueBatch(db, ENV, id).done);
}

const messagesOf = (db: Db, id: string) => db.select().from(announcementMessages).where(eq(announcementMessages.announcementId, id)).all();
const reached = (db: Db, id: string, channel: "InApp" | "Email" | "SMS") =>
  messagesOf(db, id)
    .filter((m) => m.channel === channel)
    .map((m) => m.memberId)
    .sort();

describe("announcements: who gets them", () => {
  it("go to the chosen audience: all enabled members, the age-verified ones, or those who opted in to email or SMS", () => {
    const db = testDb();
    const admin = member(db);
    const verified = member(db, { verified: true });
    const plain = member(db);
    const optedIn = member(db);
    saveAnnouncementChoices(db, optedIn.id, { inApp: true, email: true, sms: false });
    const disabled = member(db, { verified: true });
    db.update(members).set({ disabledAt: new Date() }).where(eq(members.id, disabled.id)).run();

    const all = draft(db, admin, { audience: "all", email: false, sms: false });
    const aged = draft(db, admin, { audience: "age_verified", email: false, sms: false });
    const opted = draft(db, admin, { audience: "opted_in", email: false, sms: false });
    for (const a of [all, aged, opted]) sendAll(db, admin, a.id);
    expect(reached(db, all.id, "InApp")).toEqual([admin.id, verified.id, plain.id, optedIn.id].sort());
    expect(reached(db, aged.id, "InApp")).toEqual([verified.id]);
    expect(reached(db, opted.id, "InApp")).toEqual([optedIn.id]);
  });

  it("email only members who agreed to announcement emails, at a confirmed address not unsubscribed; the app unless switched off", () => {
    const db = testDb();
    const admin = member(db);
    const agreed = member(db);
    const unconfirmed = member(db, { emailConfirmed: false });
    const appOff = member(db);
    for (const m of [agreed, unconfirmed]) saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: false });
    saveAnnouncementChoices(db, appOff.id, { inApp: false, email: false, sms: false });
    const a = draft(db, admin, { sms: false });
    sendAll(db, admin, a.id);
    expect(reached(db, a.id, "Email")).toEqual([agreed.id]);
    expect(reached(db, a.id, "InApp")).toEqual([admin.id, agreed.id, unconfirmed.id].sort());
    const mail = db.select().from(outbox).where(eq(outbox.channel, "Email")).get()!;
    expect(mail).toMatchObject({ recipient: agreed.email, subject: "The summer contest is open", memberId: agreed.id, fairnessKey: `announcement:${a.id}` });
    expect(listUnsubscribeHeaders(db, ENV.appUrl, { to: mail.recipient, text: mail.body })).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
  });

  it("text only members who gave the separate SMS consent, to the verified number they gave it for, never on an alert consent", () => {
    const db = testDb();
    const admin = member(db);
    const consented = member(db, { phone: "+447700900001" });
    // SMS alerts on, verified number, but no announcement SMS consent: no text.
    const alertsOnly = member(db, { phone: "+447700900002" });
    saveAlertChoices(db, alertsOnly.id, { password_changed: { inApp: true, email: true, sms: true } });
    saveAnnouncementChoices(db, alertsOnly.id, { inApp: true, email: true, sms: false });
    const changedNumber = member(db, { phone: "+447700900003" });
    saveAnnouncementChoices(db, consented.id, { inApp: true, email: false, sms: true });
    saveAnnouncementChoices(db, changedNumber.id, { inApp: true, email: false, sms: true });
    db.update(profiles).set({ phone: "+447700900004", phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, changedNumber.id)).run();
    expect(announcementChoices(db, changedNumber.id)).toMatchObject({ sms: true, smsStale: true, smsPhone: "+447700900003" });

    const a = draft(db, admin);
    sendAll(db, admin, a.id);
    expect(reached(db, a.id, "SMS")).toEqual([consented.id]);
    const text = db.select().from(outbox).where(eq(outbox.channel, "SMS")).all();
    expect(text.map((m) => [m.recipient, m.body])).toEqual([["+447700900001", "Select Exposure: The summer contest is open\nSend us your best shot by 31 July.\nReply STOP to opt out."]]);
    expect(text[0]!.body.endsWith(SMS_OPT_OUT_LINE)).toBe(true);
  });

  it("refuse the SMS consent without a verified number, and record consents given and withdrawn with their time", () => {
    const db = testDb();
    const m = member(db);
    expect(() => saveAnnouncementChoices(db, m.id, { inApp: true, email: false, sms: true })).toThrow(AnnouncementChoicesRefused);
    expect(announcementChoices(db, m.id)).toMatchObject({ sms: false, email: false, inApp: true });
    db.update(profiles).set({ phone: "+447700900005", phoneVerifiedAt: new Date() }).where(eq(profiles.memberId, m.id)).run();
    const given = new Date("2026-11-01T10:00:00Z");
    saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: true }, given);
    saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: false }, new Date("2026-11-02T10:00:00Z"));
    const data = exportMemberData(db, m.id)!;
    expect(data.consents.announcements).toEqual({
      inApp: true,
      emailSince: "2026-11-01T10:00:00.000Z",
      smsSince: null,
      smsNumber: null,
      history: [
        { channel: "Email", given: true, number: null, how: "preferences", at: "2026-11-01T10:00:00.000Z" },
        { channel: "SMS", given: true, number: "+447700900005", how: "preferences", at: "2026-11-01T10:00:00.000Z" },
        { channel: "SMS", given: false, number: "+447700900005", how: "preferences", at: "2026-11-02T10:00:00.000Z" },
      ],
    });
  });

  it("honour STOP: no text queued to a number that replied STOP, and none sent to one that replied after it was queued", async () => {
    const db = testDb();
    const admin = member(db);
    const stopped = member(db, { phone: "+447700900006" });
    const later = member(db, { phone: "+447700900007" });
    for (const m of [stopped, later]) saveAnnouncementChoices(db, m.id, { inApp: false, email: false, sms: true });
    suppress(db, "+447700900006", "STOP");
    const a = draft(db, admin, { inApp: false, email: false });
    sendAll(db, admin, a.id);
    expect(reached(db, a.id, "SMS")).toEqual([later.id]);
    suppress(db, "+447700900007", "STOP");
    const twilio = await dispatchAll(db);
    expect(twilio.sent).toEqual([]);
    expect(announcementProgress(db, a.id)!.failures).toEqual([{ channel: "SMS", reason: expect.stringContaining("STOP"), n: 1 }]);
  });
});

describe("announcements: input, preview and sending once", () => {
  it("refuse bad input in plain words and save nothing", () => {
    const db = testDb();
    const admin = member(db);
    const base = { title: "Winners", body: "Well done", audience: "all", inApp: true, email: false, sms: false };
    const problems = (input: Record<string, unknown>) => refusal(() => createDraft(db, admin, input, key())).fields;
    expect(problems({ ...base, title: "  " })).toEqual({ title: "Give the announcement a title." });
    expect(problems({ ...base, body: "" })).toEqual({ body: "Write the announcement." });
    expect(problems({ ...base, title: "x".repeat(121) })).toEqual({ title: "Keep the title to 120 characters." });
    expect(problems({ ...base, body: "x".repeat(5001) })).toEqual({ body: "Keep the announcement to 5,000 characters." });
    expect(problems({ ...base, audience: "everyone" })).toEqual({ audience: "Choose who the announcement is for." });
    expect(problems({ ...base, inApp: false })).toEqual({ channels: "Choose at least one way to send it: in the app, email or SMS." });
    expect(problems({ ...base, sms: true, body: "x".repeat(1600) })!.body).toMatch(/would be 1,648 characters; SMS allow 1,600/);
    expect(problems({ ...base, title: "Winner: \u202egnp.exe" })).toEqual({ title: "The title contains text-direction override characters; remove them and try again." });
    expect(problems({ ...base, body: "Well\u0007 done" })).toEqual({ body: "The announcement contains control characters; remove them and try again." });
    expect(refusal(() => createDraft(db, admin, base, "not-a-key")).code).toBe("stale_form");
    expect(db.select().from(announcements).all()).toEqual([]);
    // The same body is fine without SMS.
    expect(draftSchema.safeParse({ ...base, body: "x".repeat(1600) }).success).toBe(true);
  });

  it("preview recipients per channel, the SMS's segments with its opt-out line, and the cost at Twilio's list prices", () => {
    const db = testDb();
    const admin = member(db);
    for (const phone of ["+447700900011", "+447700900012", "+353851234567"]) {
      const m = member(db, { phone });
      saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: true });
    }
    // 150 characters of body: with the header and the opt-out line the text needs two GSM-7 segments.
    const body = "a".repeat(150);
    const a = draft(db, admin, { body });
    const p = previewAnnouncement(db, ENV, a);
    expect(smsShape(a.title, body)).toMatchObject({ encoding: "GSM-7", segments: 2, length: smsText(a.title, body).length });
    expect(p).toMatchObject({ members: 4, inApp: 4, email: 3, sms: 3, smsShape: { segments: 2, encoding: "GSM-7" }, unit: "USD" });
    expect(p.countries).toEqual([
      { country: "GB", recipients: 2, perSegmentMicros: 52_400, costMicros: 2 * 2 * 52_400 },
      { country: "IE", recipients: 1, perSegmentMicros: 88_600, costMicros: 2 * 88_600 },
    ]);
    expect(p.estimateMicros).toBe(4 * 52_400 + 2 * 88_600);
    // An emoji switches the whole text to UCS-2 (70 a segment alone).
    expect(smsShape("Winners 🎉", "Well done")).toMatchObject({ encoding: "UCS-2", segments: 1 });
  });

  it("are drafted once per form and sent once: a double submit finds the same draft, a second send is refused in words", () => {
    const db = testDb();
    const admin = member(db);
    const input = { title: "Winners", body: "Well done", audience: "all", inApp: true, email: false, sms: false };
    const k = key();
    const first = createDraft(db, admin, input, k);
    const again = createDraft(db, admin, input, k);
    expect([first.created, again.created, again.announcement.id]).toEqual([true, false, first.announcement.id]);
    startSending(db, admin, first.announcement.id, ENV);
    const second = refusal(() => startSending(db, admin, first.announcement.id, ENV));
    expect([second.status, second.code]).toEqual([409, "already_sent"]);
    expect(second.message).toMatch(/was sent already \(by .+\)\. An announcement is sent once; nothing was sent again\./);
    while (!queueBatch(db, ENV, first.announcement.id).done);
    expect(queueBatch(db, ENV, first.announcement.id)).toEqual({ done: true, queued: 0 });
    expect(db.select().from(notifications).where(eq(notifications.event, "announcements")).all()).toHaveLength(1);
    expect(db.select({ action: adminAudit.action }).from(adminAudit).all().map((r) => r.action)).toEqual(["announcement.create", "announcement.send"]);
  });

  it("queue in batches that resume after a crash where the last committed batch ended, each member once", () => {
    const db = testDb();
    const admin = member(db);
    const others = Array.from({ length: 6 }, () => member(db));
    const a = draft(db, admin, { email: false, sms: false });
    // startSending queues the first batch at once; this one's batches are queued by hand, two members at a time.
    db.update(announcements).set({ state: "sending", sentBy: admin.email }).where(eq(announcements.id, a.id)).run();
    expect(queueBatch(db, ENV, a.id, 2)).toEqual({ done: false, queued: 2 });
    // A batch that dies half-way is rolled back whole: nothing of it stays, the cursor has not moved.
    const before = messagesOf(db, a.id).length;
    expect(() =>
      db.transaction(() => {
        queueBatch(db, ENV, a.id, 2);
        throw new Error("the process died");
      }),
    ).toThrow("the process died");
    expect(messagesOf(db, a.id)).toHaveLength(before);
    while (!queueBatch(db, ENV, a.id, 2).done);
    expect(reached(db, a.id, "InApp")).toEqual([admin.id, ...others.map((m) => m.id)].sort());
    expect(db.select().from(announcements).where(eq(announcements.id, a.id)).get()).toMatchObject({ state: "sent", queuedAt: expect.any(Date) });
  });

  it("count progress per channel from the outbox: sent, delivered, failed with the reason", async () => {
    const db = testDb();
    const admin = member(db);
    const ok = member(db, { phone: "+447700900021" });
    const bad = member(db, { phone: "+447700900022" });
    for (const m of [ok, bad]) saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: true });
    const a = draft(db, admin);
    sendAll(db, admin, a.id);
    expect(announcementProgress(db, a.id)!.channels.map(progressLine)).toEqual(["In the app: 3 of 3 shown", "Email: 0 of 2 sent, 2 waiting", "SMS: 0 of 2 sent, 0 delivered, 2 waiting"]);
    const twilio = await dispatchAll(db);
    const [delivered, undelivered] = [...twilio.sent].sort((x, y) => x.to.localeCompare(y.to));
    await applyStatusCallback(db, { sid: delivered!.sid, status: "delivered", errorCode: null });
    await applyStatusCallback(db, { sid: undelivered!.sid, status: "undelivered", errorCode: 30003 });
    const p = announcementProgress(db, a.id)!;
    expect(p.channels.map(progressLine)).toEqual(["In the app: 3 of 3 shown", "Email: 2 of 2 sent", "SMS: 1 of 2 sent, 1 delivered, 1 failed"]);
    expect(p.failures).toEqual([{ channel: "SMS", reason: expect.stringMatching(/.+/), n: 1 }]);
    expect(p.done).toBe(true);
  });

  it("leave nothing queued for a member who deletes their account, and an email's link withdraws the email consent", () => {
    const db = testDb();
    const admin = member(db);
    const leaving = member(db, { phone: "+447700900031" });
    const staying = member(db);
    for (const m of [leaving, staying]) saveAnnouncementChoices(db, m.id, { inApp: true, email: true, sms: m === leaving });
    const a = draft(db, admin);
    sendAll(db, admin, a.id);
    deleteOwnAccount(db, leaving);
    expect(db.select({ state: outbox.state }).from(outbox).all().map((r) => r.state).sort()).toEqual(["cancelled", "cancelled", "queued"]);
    expect(announcementProgress(db, a.id)!.channels.map(progressLine)).toEqual(["In the app: 3 of 3 shown", "Email: 0 of 2 sent, 1 cancelled, 1 waiting", "SMS: 0 of 1 sent, 0 delivered, 1 cancelled"]);

    const mail = db.select().from(outbox).where(eq(outbox.recipient, staying.email)).get()!;
    const token = /\/unsubscribe\/(\S+)\s*$/.exec(mail.body)![1]!;
    const link = unsubscribeLink(db, token)!;
    expect(link).toMatchObject({ kind: "announcements", memberId: staying.id });
    stop(db, link, "one-click");
    expect(isStopped(db, link)).toBe(true);
    expect(announcementChoices(db, staying.id).email).toBe(false);
    expect(exportMemberData(db, staying.id)!.consents.announcements.history.at(-1)).toMatchObject({ channel: "Email", given: false, how: "unsubscribe" });
  });
});
