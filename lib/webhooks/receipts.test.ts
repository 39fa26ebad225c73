import { describe, expect, it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { lastReceipts, pruneReceipts, receiptCounts } from "./queries";
import { WebhookRecorder } from "./receipts";

describe("webhook receipts", () => {
  it("are counted in memory and written in one batch per flush, per kind, hour, outcome and detail, with the last clue", () => {
    const db = testDb();
    const recorder = new WebhookRecorder(() => db);
    const at = Date.UTC(2026, 11, 1, 10, 30);
    for (let i = 0; i < 500; i++) recorder.note({ kind: "twilio_status", outcome: "accepted", detail: "primary" }, at + i);
    recorder.note({ kind: "twilio_status", outcome: "refused", detail: "app_url_mismatch", hint: "Twilio signed http://a" }, at);
    recorder.note({ kind: "twilio_status", outcome: "refused", detail: "app_url_mismatch", hint: "Twilio signed http://b" }, at + 1);
    expect(receiptCounts(db, new Date(at - 3600_000))).toEqual([]);
    recorder.flush();
    recorder.note({ kind: "twilio_status", outcome: "accepted", detail: "primary" }, at + 600);
    recorder.flush();
    const counts = receiptCounts(db, new Date(at - 3600_000));
    expect(counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "twilio_status", outcome: "accepted", detail: "primary", count: 501, hint: null }),
        expect.objectContaining({ kind: "twilio_status", outcome: "refused", detail: "app_url_mismatch", count: 2, hint: "Twilio signed http://b" }),
      ]),
    );
    expect(lastReceipts(db).find((r) => r.outcome === "accepted")!.lastAt).toEqual(new Date(at + 600));
    expect(pruneReceipts(db, new Date(at + 3600_000))).toBe(2);
  });

  it("cost no write while nothing arrives", () => {
    const db = testDb();
    new WebhookRecorder(() => db).flush();
    expect(lastReceipts(db)).toEqual([]);
  });
});
