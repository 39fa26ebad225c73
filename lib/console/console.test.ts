import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { adminAudit, members, outbox, sessions, verificationSessions, type Member } from "@/db/schema";
import { createApiToken, memberForToken } from "@/lib/api-tokens/tokens";
import { createSession } from "@/lib/auth/sessions";
import { getSetting } from "@/lib/settings/settings";
import { forgetBudgetCache } from "@/lib/sms-budget/budget";
import { suppress } from "@/lib/smoke-signals/suppression";
import { testDb } from "@/lib/testing/db";
import { makeMember, queueSignal, refusalOf } from "@/lib/testing/messaging";
import { applyAlerts, evaluateAlerts } from "./alerts";
import { changeRole, disableMember, enableMember } from "./members";
import { csvField, messagesCsv, parseMessageFilters } from "./messages";
import { updateSetting } from "./settings";
import { removeSmsSuppression } from "./suppressions";
import { usageReport } from "./usage";
import { median, verificationStats } from "./verifications";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

/** An SMS as the outbox leaves it once Twilio has answered, reported and priced it. */
function sentSms(db: Db, member: Member, opts: { status: "delivered" | "undelivered"; priceMicros?: number | null; at?: Date; errorCode?: number }) {
  const signal = queueSignal(db, member, { to: `+447400${String(Math.floor(100000 + Math.random() * 899999))}` });
  db.update(outbox)
    .set({ state: "sent", providerStatus: opts.status, priceMicros: opts.priceMicros ?? null, priceUnit: opts.priceMicros ? "USD" : null, segments: 1, errorCode: opts.errorCode ?? null, createdAt: opts.at ?? new Date() })
    .where(eq(outbox.ownerId, signal.id))
    .run();
  return signal;
}

describe("the monthly SMS budget and the alerts", () => {
  it("emails every administrator once at 80% and once at 100%, and stops platform SMS at 100% with the reason when set to", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    const member = makeMember(db);
    forgetBudgetCache();
    expect(updateSetting(db, admin, "sms_budget", form({ monthlyLimit: "0.10", stopAtLimit: "on" }))).toMatchObject({ ok: true });
    sentSms(db, member, { status: "delivered", priceMicros: 85_000 });
    const emails = () => db.select().from(outbox).where(eq(outbox.purpose, "operator_alert")).all();

    expect(applyAlerts(db, evaluateAlerts(db), "https://members.example.com")).toEqual([`sms_budget:${new Date().toISOString().slice(0, 7)}:80`]);
    expect(emails()).toEqual([expect.objectContaining({ recipient: admin.email, subject: "Select Exposure: SMS budget 80% reached" })]);
    // Checked again: nothing new to say.
    expect(applyAlerts(db, evaluateAlerts(db), "https://members.example.com")).toEqual([]);

    sentSms(db, member, { status: "delivered", priceMicros: 20_000 });
    applyAlerts(db, evaluateAlerts(db), "https://members.example.com");
    expect(emails().map((e) => e.subject)).toEqual(["Select Exposure: SMS budget 80% reached", "Select Exposure: SMS budget 100% reached"]);
    expect(emails()[1]!.body).toContain("Platform SMS are stopped until");

    forgetBudgetCache();
    const refused = refusalOf(() => queueSignal(db, member));
    expect(refused).toMatchObject({ status: 429, code: "sms_budget_reached" });
    expect(refused.message).toContain("used this month's budget for text messages");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // Email invitations are not affected.
    expect(queueSignal(db, member, { channel: "Email", to: "friend@example.org" }).channel).toBe("Email");
  });

  it("keeps sending at 100% when the budget is not set to stop SMS", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    const member = makeMember(db);
    forgetBudgetCache();
    updateSetting(db, admin, "sms_budget", form({ monthlyLimit: "0.05" }));
    sentSms(db, member, { status: "delivered", priceMicros: 60_000 });
    forgetBudgetCache();
    expect(queueSignal(db, member).status).toBe("Pending");
  });

  it("raises the delivery-rate alert below the threshold over the last 100 SMS, and clears it when deliveries recover", () => {
    const db = testDb();
    makeMember(db, "admin");
    const member = makeMember(db);
    for (let i = 0; i < 30; i++) sentSms(db, member, { status: i < 20 ? "delivered" : "undelivered", errorCode: 30003 });
    const verdict = evaluateAlerts(db).find((v) => v.key === "delivery_rate")!;
    expect(verdict).toMatchObject({ firing: true });
    expect(verdict.detail).toContain("67% of the last 30 SMS were delivered (alert below 80%)");
    applyAlerts(db, [verdict], "https://members.example.com");
    for (let i = 0; i < 70; i++) sentSms(db, member, { status: "delivered" });
    const later = evaluateAlerts(db).find((v) => v.key === "delivery_rate")!;
    expect(later.firing).toBe(false);
    applyAlerts(db, [later], "https://members.example.com");
    expect(db.select().from(outbox).where(eq(outbox.purpose, "operator_alert")).all()).toHaveLength(1);
  });

  it("says nothing about the delivery rate on too few SMS", () => {
    const db = testDb();
    sentSms(db, makeMember(db), { status: "undelivered" });
    expect(evaluateAlerts(db).find((v) => v.key === "delivery_rate")).toBeUndefined();
  });
});

describe("members", () => {
  it("disabling ends every session and stops the API tokens; enabling restores the tokens; both are in the audit log", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    const member = makeMember(db);
    createSession(db, member.id, { address: null, userAgent: null });
    const { token } = createApiToken(db, member.id, { name: "t", consent: true });

    expect(disableMember(db, admin, member.id, { reason: " " })).toMatchObject({ ok: false, fields: { reason: expect.stringContaining("Give a reason") } });
    expect(db.select().from(members).where(eq(members.id, member.id)).get()!.disabledAt).toBeNull();

    expect(disableMember(db, admin, member.id, { reason: "Spam" })).toMatchObject({ ok: true, count: 1 });
    expect(db.select().from(sessions).where(eq(sessions.memberId, member.id)).get()).toMatchObject({ endedReason: "disabled" });
    expect(memberForToken(db, token)).toBeNull();
    expect(disableMember(db, admin, member.id, { reason: "Again" })).toMatchObject({ ok: false, error: expect.stringContaining("already disabled") });

    expect(enableMember(db, admin, member.id, { reason: "" })).toMatchObject({ ok: true });
    expect(memberForToken(db, token)?.member.id).toBe(member.id);
    expect(db.select().from(adminAudit).all().map((e) => [e.action, e.before, e.after])).toEqual([
      ["member.disable", { disabled: false }, { disabled: true, sessionsEnded: 1 }],
      ["member.enable", { disabled: true }, { disabled: false }],
    ]);
  });

  it("never lets an administrator lock the site out: not oneself, not the last administrator", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    expect(changeRole(db, admin, admin.id, { role: "member", reason: "" })).toMatchObject({ ok: false, error: expect.stringContaining("your own administrator role") });
    expect(disableMember(db, admin, admin.id, { reason: "test" })).toMatchObject({ ok: false, error: expect.stringContaining("your own account") });
    const second = makeMember(db, "admin");
    // With two, one may be demoted; then the other is the last one.
    expect(changeRole(db, second, admin.id, { role: "member", reason: "" })).toMatchObject({ ok: true });
    const member = makeMember(db);
    expect(changeRole(db, second, member.id, { role: "owner", reason: "" })).toMatchObject({ ok: false, error: "Choose member or admin. Nothing was changed." });
    expect(changeRole(db, second, "nobody", { role: "admin", reason: "" })).toMatchObject({ ok: false, error: expect.stringContaining("no such member") });
  });
});

describe("settings", () => {
  it("refuse bad input field by field and change nothing", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    expect(updateSetting(db, admin, "alerts", form({ deliveryRatePercent: "120", passRatePercent: "50" }))).toEqual({
      ok: false,
      error: "The delivery rate threshold must be between 1 and 100. Nothing was changed.",
      fields: { deliveryRatePercent: "The delivery rate threshold must be between 1 and 100." },
    });
    expect(updateSetting(db, admin, "yoti_prices", form({ currency: "pounds", AGE_ESTIMATION: "abc" }))).toMatchObject({
      ok: false,
      fields: { currency: "Use a three-letter currency code such as GBP.", AGE_ESTIMATION: "Enter the age estimation price as a number, e.g. 25 or 0.25." },
    });
    expect(updateSetting(db, admin, "sms_budget", form({ monthlyLimit: "0" }))).toMatchObject({ ok: false });
    expect(getSetting(db, "alerts")).toEqual({ deliveryRatePercent: 80, passRatePercent: 50 });
    expect(db.select().from(adminAudit).all()).toEqual([]);
    expect(updateSetting(db, admin, "yoti_prices", form({ currency: "gbp", AGE_ESTIMATION: "0.25", DIGITAL_ID: "1,000", DOC_SCAN: "" }))).toMatchObject({ ok: true });
    expect(getSetting(db, "yoti_prices")).toEqual({ currency: "GBP", AGE_ESTIMATION: 0.25, DIGITAL_ID: 1000, DOC_SCAN: 0 });
    expect(db.select().from(adminAudit).get()).toMatchObject({ action: "settings.yoti_prices", before: { AGE_ESTIMATION: 0 }, after: { AGE_ESTIMATION: 0.25 } });
  });
});

describe("the message log", () => {
  it("refuses filters it cannot read, in words", () => {
    const db = testDb();
    expect(parseMessageFilters(db, { status: "lost", from: "2026-02-30", to: "x" })).toEqual({
      ok: false,
      problems: { status: "Status must be one of pending, sent, delivered, failed, cancelled.", from: "From is not a real date.", to: "To must be a date like 2026-12-01." },
    });
    expect(parseMessageFilters(db, { from: "2026-12-02", to: "2026-12-01" })).toMatchObject({ ok: false, problems: { to: "To must be on or after From." } });
    expect(parseMessageFilters(db, { member: "nobody@example.com" })).toMatchObject({ ok: false, problems: { member: expect.stringContaining("No member has that email") } });
  });

  it("exports the filtered set as CSV, masked, and never as a formula a spreadsheet would run", async () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField("+44*******123")).toBe("'+44*******123");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField(null)).toBe("");
    const db = testDb();
    const member = makeMember(db);
    sentSms(db, member, { status: "undelivered", errorCode: 30003, priceMicros: 52_400 });
    sentSms(db, makeMember(db), { status: "delivered" });
    const parsed = parseMessageFilters(db, { member: member.email });
    if (!parsed.ok) throw new Error("filters refused");
    const csv = (await new Response(messagesCsv(db, parsed.query)).text()).trim().split("\r\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(new RegExp(`,SMS,smoke_signal,${member.email},'\\+44\\*+\\d{3},failed,undelivered,30003,"unreachable destination handset \\(off, out of coverage, or no longer in service\\)\\.",1,0\\.05240,USD,`));
  });
});

describe("usage and verification statistics", () => {
  it("count SMS, segments and Twilio's prices per day and month, and email separately", () => {
    const db = testDb();
    const member = makeMember(db);
    const today = new Date();
    sentSms(db, member, { status: "delivered", priceMicros: 52_400 });
    sentSms(db, member, { status: "undelivered", priceMicros: 52_400, errorCode: 30003 });
    sentSms(db, member, { status: "delivered", priceMicros: 88_600, at: new Date(today.getTime() - 3 * 24 * 3600_000) });
    queueSignal(db, member, { channel: "Email", to: "friend@example.org" });
    const { days, months } = usageReport(db, today);
    const last = days.periods.at(-1)!;
    expect(last.period).toBe(today.toISOString().slice(0, 10));
    expect(last.sms).toEqual({ sent: 2, delivered: 1, failed: 1, segments: 2, costMicros: 104_800 });
    expect(days.totals.sms.costMicros).toBe(193_400);
    expect(days.periods).toHaveLength(30);
    expect(months.periods).toHaveLength(12);
    expect(months.totals.sms.sent).toBe(3);
    expect(days.smsUnit).toBe("USD");
  });

  it("give the pass rate of the sessions that reached a result and the median time to it", () => {
    const db = testDb();
    const member = makeMember(db);
    const now = new Date();
    const session = (id: string, status: string, seconds: number | null) =>
      db
        .insert(verificationSessions)
        .values({
          id,
          memberId: member.id,
          referenceId: id,
          status,
          method: status === "PENDING" ? null : "DOC_SCAN",
          request: { type: "OVER", sdkId: "s", ageThreshold: 18, thresholds: {} },
          history: [],
          expiresAt: new Date(now.getTime() + 600_000),
          createdAt: new Date(now.getTime() - 3600_000),
          finishedAt: seconds === null ? null : new Date(now.getTime() - 3600_000 + seconds * 1000),
        })
        .run();
    session("a", "COMPLETE", 40);
    session("b", "COMPLETE", 60);
    session("c", "FAIL", 200);
    session("d", "PENDING", null);
    const stats = verificationStats(db, { from: new Date(now.getTime() - 7 * 24 * 3600_000), until: new Date(now.getTime() + 1000) }, now);
    expect(stats).toMatchObject({ total: 4, results: 3, passRate: 2 / 3, medianMs: 60_000, byStatus: { COMPLETE: 2, FAIL: 1, PENDING: 1 }, byMethod: { DOC_SCAN: 3, NONE: 1 } });
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("suppression lists", () => {
  it("remove a number only with a reason, recorded with what the entry was", () => {
    const db = testDb();
    const admin = makeMember(db, "admin");
    suppress(db, "+447700900123", "STOP");
    expect(removeSmsSuppression(db, admin, { phone: "+447700900123", reason: "" })).toMatchObject({ ok: false });
    expect(removeSmsSuppression(db, admin, { phone: "+447700900999", reason: "asked" })).toMatchObject({ ok: false, error: expect.stringContaining("not on the list") });
    expect(removeSmsSuppression(db, admin, { phone: "+447700900123", reason: "They asked by email" })).toMatchObject({ ok: true });
    expect(db.select().from(adminAudit).get()).toMatchObject({
      action: "suppression.sms.remove",
      targetLabel: "+44*******123",
      reason: "They asked by email",
      before: { keyword: "STOP", source: "reply" },
    });
  });
});
