// The Yoti emulator's store in SQLite (sandbox_yoti_* tables): its sessions and its notifications' deliveries, shared
// by its API, its hosted page, its notifier and restarts.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, lte, min } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxYotiDeliveries, sandboxYotiSessions, type SandboxYotiSession } from "@/db/schema";
import type { CreateSessionRequest, Method } from "../schemas";

export const METHOD_KEYS: Record<Method, "age_estimation" | "digital_id" | "doc_scan"> = {
  AGE_ESTIMATION: "age_estimation",
  DIGITAL_ID: "digital_id",
  DOC_SCAN: "doc_scan",
};

const ACTIVE = new Set(["PENDING", "IN_PROGRESS"]);

export function createEmulatedSession(db: Db, sdkId: string, request: CreateSessionRequest, now: Date): SandboxYotiSession {
  return db
    .insert(sandboxYotiSessions)
    .values({
      id: randomUUID(),
      sdkId,
      request: request as unknown as Record<string, unknown>,
      status: "PENDING",
      attempts: {},
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + request.ttl * 1000),
    })
    .returning()
    .get();
}

/** The session as Yoti would report it now: an unfinished session past its ttl has EXPIRED (and stays so). */
export function findEmulatedSession(db: Db, id: string, sdkId: string, now: Date): SandboxYotiSession | undefined {
  const row = db.select().from(sandboxYotiSessions).where(eq(sandboxYotiSessions.id, id)).get();
  if (!row || row.sdkId !== sdkId) return undefined;
  if (ACTIVE.has(row.status) && row.expiresAt.getTime() <= now.getTime()) {
    return updateEmulatedSession(db, id, { status: "EXPIRED", updatedAt: now });
  }
  return row;
}

export function updateEmulatedSession(db: Db, id: string, values: Partial<SandboxYotiSession>): SandboxYotiSession {
  return db.update(sandboxYotiSessions).set(values).where(eq(sandboxYotiSessions.id, id)).returning().get();
}

type SandboxYotiDelivery = typeof sandboxYotiDeliveries.$inferSelect;

/** Stores a notification to deliver. */
export function insertDelivery(db: Db, values: typeof sandboxYotiDeliveries.$inferInsert): void {
  db.insert(sandboxYotiDeliveries).values(values).run();
}

/** One stored notification delivery. */
export function getDelivery(db: Db, id: string): SandboxYotiDelivery | undefined {
  return db.select().from(sandboxYotiDeliveries).where(eq(sandboxYotiDeliveries.id, id)).get();
}

/** Writes a delivery's attempt count, error, delivery time or duplicates. */
export function updateDelivery(db: Db, id: string, values: Partial<SandboxYotiDelivery>): void {
  db.update(sandboxYotiDeliveries).set(values).where(eq(sandboxYotiDeliveries.id, id)).run();
}

/** Undelivered notifications whose next attempt is due at `now` (ms), soonest first. */
export function dueDeliveries(db: Db, now: number, limit: number): { id: string }[] {
  return db
    .select({ id: sandboxYotiDeliveries.id })
    .from(sandboxYotiDeliveries)
    .where(and(isNull(sandboxYotiDeliveries.deliveredAt), lte(sandboxYotiDeliveries.nextAttemptAt, now)))
    .orderBy(asc(sandboxYotiDeliveries.nextAttemptAt))
    .limit(limit)
    .all();
}

/** When the soonest attempt of an undelivered notification is due (ms), or null when none is owed. */
export function nextDeliveryAt(db: Db): number | null {
  return (
    db
      .select({ at: min(sandboxYotiDeliveries.nextAttemptAt) })
      .from(sandboxYotiDeliveries)
      .where(and(isNull(sandboxYotiDeliveries.deliveredAt), isNotNull(sandboxYotiDeliveries.nextAttemptAt)))
      .get()?.at ?? null
  );
}

export type MethodView = { method: Method; threshold: number; allowed: boolean; level: string; retryLimit: number; attempts: number };

/** The methods a session allows, with their thresholds and attempts, in Yoti's order. */
export function methodsOf(session: SandboxYotiSession): MethodView[] {
  const req = session.request as unknown as CreateSessionRequest;
  return (Object.keys(METHOD_KEYS) as Method[]).flatMap((method) => {
    const cfg = req[METHOD_KEYS[method]] as { allowed: boolean; threshold: number; level: string; retry_limit: number } | undefined;
    if (!cfg?.allowed) return [];
    return [{ method, threshold: cfg.threshold, allowed: true, level: cfg.level, retryLimit: cfg.retry_limit, attempts: session.attempts[method] ?? 0 }];
  });
}

const emptyMethod = { threshold: 0, allowed: false, level: "", authenticity: "", attempts: 0, attempts_remaining: 0 };

/** The documented result shape (see lib/yoti/fixtures/result-*.json) for a stored session. */
export function resultBody(session: SandboxYotiSession, withOutcome = true): Record<string, unknown> {
  const req = session.request as unknown as CreateSessionRequest;
  const perMethod = (method: Method) => {
    const cfg = req[METHOD_KEYS[method]] as { allowed?: boolean; threshold?: number; level?: string; authenticity?: string; retry_limit?: number } | undefined;
    if (!cfg?.allowed) return emptyMethod;
    const attempts = session.attempts[method] ?? 0;
    return {
      threshold: cfg.threshold ?? 0,
      allowed: true,
      level: cfg.level ?? "NONE",
      authenticity: cfg.authenticity ?? (method === "DIGITAL_ID" ? "NOT_APPLICABLE" : "AUTO"),
      attempts,
      attempts_remaining: Math.max(0, (cfg.retry_limit ?? 0) + 1 - attempts),
    };
  };
  const method = session.method as Method | null;
  const threshold = method ? perMethod(method).threshold : null;
  const outcome =
    withOutcome && method && session.status !== "PENDING" && session.status !== "IN_PROGRESS"
      ? { age: req.type === "AGE" ? session.age : threshold, status: session.status, method, evidence_id: session.evidenceId }
      : { status: session.status };
  return {
    sdk_id: session.sdkId,
    account_id: "",
    callback_url: req.callback.url,
    callback: req.callback,
    notification_url: req.notification_url ?? "",
    cancel_url: req.cancel_url ?? "",
    type: req.type,
    age_estimation: perMethod("AGE_ESTIMATION"),
    digital_id: perMethod("DIGITAL_ID"),
    doc_scan: perMethod("DOC_SCAN"),
    credit_card: emptyMethod,
    mobile: emptyMethod,
    ...outcome,
    reference_id: req.reference_id,
    created_at: session.createdAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    id: session.id,
    biometric_consent_required: true,
    rule_id: "",
    retry_enabled: req.retry_enabled ?? false,
    resume_enabled: req.resume_enabled ?? false,
    blocked_locations: [],
    biometric_consent_given_at: "",
    terminal_id: "",
    synchronous_checks: req.synchronous_checks ?? false,
  };
}
