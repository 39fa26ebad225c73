import { describe, expect, it } from "vitest";
import { notifications, outbox } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal, signalRow, TEST_ENV } from "@/lib/testing/messaging";
import { saveAlertChoices } from "@/lib/alerts/preferences";
import { markJoined } from "./join";
import { getSignal, listSignals } from "./queries";

describe("reading smoke signals", () => {
  it("a member sees only their own, newest first and paginated; an admin sees all; others' answer null", () => {
    const db = testDb();
    const ana = makeMember(db);
    const ben = makeMember(db);
    const admin = makeMember(db, "admin");
    const first = queueSignal(db, ana, { to: "+447700900001", message: "one" });
    queueSignal(db, ana, { to: "+447700900002", message: "two" });
    const bens = queueSignal(db, ben, { to: "+447700900003", message: "three" });
    const page1 = listSignals(db, ana, 1, 1);
    expect(page1).toMatchObject({ total: 2, hasMore: true, items: [{ message: "two", to: "+44*******002" }] });
    expect(listSignals(db, ana, 2, 1).items.map((s) => s.message)).toEqual(["one"]);
    expect(listSignals(db, admin, 1, 10).total).toBe(3);
    expect(getSignal(db, ana, bens.id)).toBeNull();
    expect(getSignal(db, admin, bens.id)).toMatchObject({ senderId: ben.id });
    expect(getSignal(db, ana, first.id)?.timeline).toMatchObject([{ status: "Pending", note: "Queued for sending" }]);
  });
});

describe("joining through an invitation", () => {
  it("marks the signal joined once, notifies the sender in the app, and emails them when they asked for it", () => {
    const db = testDb();
    const sender = makeMember(db);
    const invitee = makeMember(db);
    saveAlertChoices(db, sender.id, { invitee_joined: { inApp: true, email: true, sms: false } });
    const signal = queueSignal(db, sender);
    expect(markJoined(db, signal.joinToken, invitee.id, TEST_ENV)).toBe(true);
    expect(markJoined(db, signal.joinToken, makeMember(db).id, TEST_ENV)).toBe(false);
    expect(signalRow(db, signal.id)).toMatchObject({ joinedMemberId: invitee.id });
    expect(db.select().from(notifications).all()).toMatchObject([{ memberId: sender.id, event: "invitee_joined", inApp: true, text: expect.stringContaining("they have joined") }]);
    const mails = db.select().from(outbox).all().filter((m) => m.channel === "Email");
    expect(mails).toMatchObject([{ recipient: sender.email, subject: "Your invitee joined Select Exposure" }]);
  });

  it("a sender cannot mark their own invitation joined", () => {
    const db = testDb();
    const sender = makeMember(db);
    expect(markJoined(db, queueSignal(db, sender).joinToken, sender.id, TEST_ENV)).toBe(false);
  });
});
