// The emulator's hosted page logic (Yoti's sandbox page): show what a session asks, take the tester's result, redirect.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import type { SandboxYotiSession } from "@/db/schema";
import { METHODS, type CreateSessionRequest, type Method } from "../schemas";
import type { createNotifier } from "./notifier";
import { findEmulatedSession, methodsOf, updateEmulatedSession, type MethodView } from "./store";

export class HostedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostedError";
  }
}

export type HostedView = {
  session: SandboxYotiSession;
  type: string;
  methods: MethodView[];
  /** What the form starts with: the response-config when one was set. */
  preset: { method: Method; age: number; outcome: "AGE" | "ERROR" };
  /** Why the session cannot take a result, if it cannot. */
  closedReason?: string;
};

function closedReason(session: SandboxYotiSession, methods: MethodView[]): string | undefined {
  const req = session.request as unknown as CreateSessionRequest;
  if (session.status === "PENDING" || session.status === "IN_PROGRESS") return undefined;
  if (session.status === "EXPIRED") return "This session has expired (its ttl has passed).";
  if (session.status === "CANCELLED") return "This session was cancelled.";
  if (session.status === "COMPLETE") return "This session is already COMPLETE.";
  // FAIL or ERROR: Yoti lets the user try again only when the session allows retries and attempts remain.
  if (req.retry_enabled && methods.some((m) => m.attempts <= m.retryLimit)) return undefined;
  return `This session ended with ${session.status} and has no attempts left.`;
}

/** Loads a session for the hosted page; opening it marks a PENDING session IN_PROGRESS, as Yoti does. */
export function openHostedSession(db: Db, sessionId: string, sdkId: string, now: Date): HostedView | undefined {
  let session = findEmulatedSession(db, sessionId, sdkId, now);
  if (!session) return undefined;
  if (session.status === "PENDING") session = updateEmulatedSession(db, session.id, { status: "IN_PROGRESS", updatedAt: now });
  const methods = methodsOf(session);
  const cfg = session.responseConfig;
  const preset = {
    method: (cfg?.method && methods.some((m) => m.method === cfg.method) ? cfg.method : methods[0]?.method ?? "AGE_ESTIMATION") as Method,
    age: cfg?.age ?? 30,
    outcome: cfg?.status === "ERROR" ? ("ERROR" as const) : ("AGE" as const),
  };
  return { session, type: (session.request as unknown as CreateSessionRequest).type, methods, preset, closedReason: closedReason(session, methods) };
}

export type HostedSubmission = { method: string; age: number; outcome: "AGE" | "ERROR" };

/** As Yoti's sandbox: the age against the method's threshold decides COMPLETE or FAIL (OVER/UNDER); AGE always completes. */
export function decideStatus(type: string, age: number, threshold: number): "COMPLETE" | "FAIL" {
  if (type === "UNDER") return age < threshold ? "COMPLETE" : "FAIL";
  if (type === "AGE") return "COMPLETE";
  return age >= threshold ? "COMPLETE" : "FAIL";
}

function withSessionId(url: string, sessionId: string): string {
  const u = new URL(url);
  u.searchParams.set("sessionId", sessionId);
  return u.toString();
}

/** Stores the tester's result, sends the signed notification, and returns where the browser goes next (callback.url). */
export async function submitHostedResult(
  db: Db,
  notifier: ReturnType<typeof createNotifier>,
  sessionId: string,
  sdkId: string,
  input: HostedSubmission,
  now: Date,
): Promise<{ redirect: string; session: SandboxYotiSession }> {
  const view = openHostedSession(db, sessionId, sdkId, now);
  if (!view) throw new HostedError("No such session for this SDK ID.");
  if (view.closedReason) throw new HostedError(view.closedReason);
  if (!(METHODS as readonly string[]).includes(input.method)) throw new HostedError(`Unknown method ${input.method}.`);
  const method = view.methods.find((m) => m.method === input.method);
  if (!method) throw new HostedError(`The session does not allow ${input.method}.`);
  if (method.attempts > method.retryLimit) throw new HostedError(`No attempts left for ${input.method}.`);
  if (!Number.isInteger(input.age) || input.age < 0 || input.age > 130) throw new HostedError("Enter an age between 0 and 130.");
  const status = input.outcome === "ERROR" ? "ERROR" : decideStatus(view.type, input.age, method.threshold);
  const attempts = { ...view.session.attempts, [method.method]: method.attempts + 1 };
  const session = updateEmulatedSession(db, sessionId, {
    status,
    method: method.method,
    age: input.age,
    evidenceId: status === "ERROR" ? null : randomUUID(),
    attempts,
    updatedAt: now,
  });
  await notifier.send(session);
  const req = session.request as unknown as CreateSessionRequest;
  return { redirect: withSessionId(req.callback.url, sessionId), session };
}

/** The user aborts: CANCELLED (unless already finished) and back to cancel_url (or callback.url when none was given). */
export function cancelHostedSession(db: Db, sessionId: string, sdkId: string, now: Date): string {
  const session = findEmulatedSession(db, sessionId, sdkId, now);
  if (!session) throw new HostedError("No such session for this SDK ID.");
  if (session.status === "PENDING" || session.status === "IN_PROGRESS") updateEmulatedSession(db, sessionId, { status: "CANCELLED", updatedAt: now });
  const req = session.request as unknown as CreateSessionRequest;
  return req.cancel_url ?? withSessionId(req.callback.url, sessionId);
}
