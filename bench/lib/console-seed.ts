// A realistic operator's database for bench:console: members (a tenth verified each month), verification sessions,
// smoke signals with their outbox messages, attempts and timelines over six months (SMS priced per country, failures
// with Twilio's codes), suppression entries, audit entries and webhook counts. Deterministic for a given size.
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import {
  adminAudit,
  emailSuppressions,
  members,
  outbox,
  outboxAttempts,
  profiles,
  smokeSignalEvents,
  smokeSignals,
  suppressions,
  verificationSessions,
  webhookReceipts,
  type StatusChange,
} from "@/db/schema";

export type SeedSize = { messages: number; members: number; sessions: number };

/** A small PRNG so every run seeds the same shape of data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const DAY = 24 * 3600_000;
const COUNTRIES = [
  { prefix: "+447400", price: 52_400, share: 0.8 },
  { prefix: "+353850", price: 88_600, share: 0.12 },
  { prefix: "+336120", price: 79_800, share: 0.08 },
];

function batches<T>(rows: T[], size: number, insert: (chunk: T[]) => void) {
  for (let i = 0; i < rows.length; i += size) insert(rows.slice(i, i + size));
}

/** Seeds `size`; `adminPasswordHash` is the argon2 hash of the bench admin's password. */
export function seedConsole(db: Db, size: SeedSize, admin: { email: string; passwordHash: string }, now = Date.now()): void {
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const hex = (n: number) => randomBytes(n).toString("hex");

  db.transaction((tx) => {
    const adminRow = tx.insert(members).values({ email: admin.email, passwordHash: admin.passwordHash, role: "admin" }).returning().get();
    tx.insert(profiles).values({ memberId: adminRow.id, screenName: "Bench admin" }).run();
    // The baseline database: the admin alone.
    if (size.members === 0) return;

    const memberIds: string[] = [];
    const memberRows = Array.from({ length: size.members }, (_, i) => {
      const id = `m${String(i).padStart(6, "0")}-${hex(6)}`;
      memberIds.push(id);
      return { id, email: `member${i}@example.com`, passwordHash: "bench", createdAt: new Date(now - random() * 180 * DAY), disabledAt: i % 97 === 0 ? new Date(now - DAY) : null };
    });
    batches(memberRows, 500, (c) => tx.insert(members).values(c).run());
    batches(
      memberRows.map((m, i) => ({
        memberId: m.id,
        screenName: `Member ${i}`,
        yotiVerified: i % 10 < 6,
        isOver18: i % 10 < 6,
        yotiVerificationDate: i % 10 < 6 ? new Date(now - random() * 90 * DAY) : null,
        yotiVerificationData: i % 10 < 6 ? { method: pick(["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"]), status: "COMPLETE", type: "OVER", threshold: 18, evidenceId: hex(8), sessionId: hex(8), checkedAt: new Date(now).toISOString() } : null,
      })),
      500,
      (c) => tx.insert(profiles).values(c).run(),
    );

    const sessions = Array.from({ length: size.sessions }, () => {
      const created = now - random() * 90 * DAY;
      const r = random();
      const status = r < 0.7 ? "COMPLETE" : r < 0.85 ? "FAIL" : r < 0.9 ? "CANCELLED" : r < 0.92 ? "ERROR" : "PENDING";
      const finished = status === "PENDING" ? null : created + (20 + random() * 280) * 1000;
      const history: StatusChange[] = [{ status: "PENDING", at: new Date(created).toISOString(), source: "create" }];
      if (finished) history.push({ status, at: new Date(finished).toISOString(), source: "notification" });
      return {
        id: `${hex(4)}-${hex(2)}-4${hex(1).slice(1)}${hex(1)}-8${hex(1).slice(1)}${hex(1)}-${hex(6)}`,
        memberId: pick(memberIds),
        referenceId: hex(16),
        status,
        method: status === "PENDING" || status === "CANCELLED" ? null : pick(["AGE_ESTIMATION", "AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"]),
        request: { type: "OVER" as const, sdkId: "bench", ageThreshold: 18, thresholds: { AGE_ESTIMATION: 25, DIGITAL_ID: 18, DOC_SCAN: 18 } },
        evidenceId: finished ? hex(8) : null,
        history,
        expiresAt: new Date(created + 900_000),
        checkedAt: finished ? new Date(finished) : null,
        finishedAt: finished ? new Date(finished) : null,
        createdAt: new Date(created),
        updatedAt: new Date(finished ?? created),
      };
    });
    batches(sessions, 500, (c) => tx.insert(verificationSessions).values(c).run());

    const signals: (typeof smokeSignals.$inferInsert)[] = [];
    const messages: (typeof outbox.$inferInsert)[] = [];
    const attempts: (typeof outboxAttempts.$inferInsert)[] = [];
    const events: (typeof smokeSignalEvents.$inferInsert)[] = [];
    for (let i = 0; i < size.messages; i++) {
      const sms = random() < 0.7;
      const created = now - random() ** 1.5 * 180 * DAY;
      const memberId = pick(memberIds);
      const signalId = `s${i}-${hex(6)}`;
      const country = random() < 0.8 ? COUNTRIES[0]! : random() < 0.6 ? COUNTRIES[1]! : COUNTRIES[2]!;
      const recipient = sms ? `${country.prefix}${String(100000 + Math.floor(random() * 899999))}` : `friend${i}@example.org`;
      const r = random();
      const [state, providerStatus, errorCode] = (
        sms
          ? r < 0.85
            ? ["sent", "delivered", null]
            : r < 0.91
              ? ["sent", "undelivered", pick([30003, 30005, 30007])]
              : r < 0.93
                ? ["sent", "failed", 30008]
                : r < 0.96
                  ? ["sent", "sent", null]
                  : r < 0.98
                    ? ["failed", null, 21211]
                    : // Accepted, no report yet (nothing left for the bench's dispatcher to send meanwhile).
                      ["sent", "queued", null]
          : r < 0.97
            ? ["sent", "accepted by mail server", null]
            : ["failed", null, 550]
      ) as [string, string | null, number | null];
      const segments = sms && state === "sent" ? 1 + Math.floor(random() * random() * 3) : null;
      const billed = providerStatus === "delivered" || providerStatus === "undelivered";
      const id = `o${i}-${hex(6)}`;
      const sid = state === "sent" && sms ? `SM${hex(16)}` : null;
      signals.push({
        id: signalId,
        senderId: memberId,
        recipient,
        recipientKey: recipient,
        channel: sms ? "SMS" : "Email",
        message: "Come and see the exhibition",
        status: providerStatus === "delivered" || providerStatus === "accepted by mail server" ? "Delivered" : state === "failed" || errorCode ? "Failed" : "Pending",
        providerStatus,
        errorCode,
        joinToken: hex(16),
        consent: "ui",
        createdAt: new Date(created),
        updatedAt: new Date(created),
      });
      messages.push({
        id,
        channel: sms ? "SMS" : "Email",
        recipient,
        body: "Come and see the exhibition https://members.example.com/join/x",
        purpose: "smoke_signal",
        ownerId: signalId,
        fairnessKey: `member:${memberId}`,
        memberId,
        state: state as "sent" | "failed",
        attempts: 1,
        providerId: sid,
        providerStatus,
        errorCode,
        segments,
        priceMicros: billed && segments ? country.price * segments : null,
        priceUnit: billed && segments ? "USD" : null,
        sentAt: state === "sent" ? new Date(created + 500) : null,
        createdAt: new Date(created),
        updatedAt: new Date(created + 3000),
      });
      attempts.push({ outboxId: id, outcome: state === "failed" ? "failed" : "sent", errorCode: state === "failed" ? errorCode : null, detail: sid ? `${sid} queued` : "250 ok", startedAt: new Date(created), finishedAt: new Date(created + 400) });
      if (providerStatus && sms) attempts.push({ outboxId: id, outcome: "status", errorCode, detail: `${providerStatus} (callback)`, startedAt: new Date(created + 2500), finishedAt: new Date(created + 2500) });
      events.push({ signalId, status: "Pending", note: "Queued for sending", at: new Date(created) });
    }
    batches(signals, 900, (c) => tx.insert(smokeSignals).values(c).run());
    batches(messages, 900, (c) => tx.insert(outbox).values(c).run());
    batches(attempts, 900, (c) => tx.insert(outboxAttempts).values(c).run());
    batches(events, 900, (c) => tx.insert(smokeSignalEvents).values(c).run());

    batches(
      Array.from({ length: Math.round(size.messages / 50) }, (_, i) => ({ phone: `+447400${String(200000 + i)}`, keyword: "STOP", source: i % 20 ? ("reply" as const) : ("twilio_refusal" as const), createdAt: new Date(now - random() * 180 * DAY) })),
      500,
      (c) => tx.insert(suppressions).values(c).run(),
    );
    batches(
      Array.from({ length: Math.round(size.messages / 100) }, (_, i) => ({ mailbox: `gone${i}@example.org`, source: i % 2 ? "link" : "one-click", createdAt: new Date(now - random() * 180 * DAY) })),
      500,
      (c) => tx.insert(emailSuppressions).values(c).run(),
    );
    batches(
      Array.from({ length: 2000 }, (_, i) => ({
        at: new Date(now - random() * 180 * DAY),
        actorId: adminRow.id,
        actorEmail: admin.email,
        action: pick(["member.disable", "member.enable", "member.role", "suppression.sms.remove", "settings.sms_budget"]),
        targetType: "member",
        targetId: pick(memberIds),
        targetLabel: `member${i}@example.com`,
        reason: "bench",
        before: { disabled: false },
        after: { disabled: true },
      })),
      500,
      (c) => tx.insert(adminAudit).values(c).run(),
    );
    const hour = Math.floor(now / 3600_000) * 3600_000;
    for (let h = 0; h < 24 * 7; h++) {
      tx.insert(webhookReceipts).values({ kind: "twilio_status", hour: hour - h * 3600_000, outcome: "accepted", detail: "primary", count: 400, lastAt: new Date(hour - h * 3600_000) }).run();
      tx.insert(webhookReceipts).values({ kind: "yoti_notification", hour: hour - h * 3600_000, outcome: "accepted", detail: "accepted", count: 40, lastAt: new Date(hour - h * 3600_000) }).run();
      if (h % 5 === 0) tx.insert(webhookReceipts).values({ kind: "twilio_status", hour: hour - h * 3600_000, outcome: "refused", detail: "no_signature", count: 3, lastAt: new Date(hour - h * 3600_000) }).run();
    }
  });
}
