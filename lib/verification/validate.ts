// Fail-closed validation of a Yoti result against what we asked for: any mismatch means "not verified".
import type { VerificationRequest, VerificationSession } from "@/db/schema";
import type { Method, SessionResult } from "@/lib/yoti/schemas";

const METHOD_KEY: Record<Method, "age_estimation" | "digital_id" | "doc_scan"> = {
  AGE_ESTIMATION: "age_estimation",
  DIGITAL_ID: "digital_id",
  DOC_SCAN: "doc_scan",
};

export type Validation = { ok: true } | { ok: false; reason: string };

export function validateResult(result: SessionResult, session: Pick<VerificationSession, "id" | "referenceId" | "request">): Validation {
  const asked: VerificationRequest = session.request;
  if (result.id !== session.id) return { ok: false, reason: "result id does not match the session" };
  if (!result.sdk_id || result.sdk_id !== asked.sdkId) return { ok: false, reason: "result sdk_id does not match our SDK ID" };
  if (result.reference_id !== session.referenceId) return { ok: false, reason: "result reference_id does not match the session" };
  if (result.type !== asked.type) return { ok: false, reason: `result type ${result.type} is not ${asked.type}` };
  if (result.status !== "COMPLETE") return { ok: true };

  const method = result.method as Method | null | undefined;
  const expected = method ? asked.thresholds[method] : undefined;
  if (!method || expected === undefined) return { ok: false, reason: `method ${method ?? "(none)"} was not allowed` };
  const config = result[METHOD_KEY[method]];
  if (!config || config.threshold !== expected) return { ok: false, reason: `${method} threshold ${config?.threshold ?? "(none)"} is not the ${expected} we asked for` };
  // For OVER checks Yoti reports the threshold as `age`; it must be the one we asked for and at least the legal age.
  if (result.age !== undefined && result.age !== null && result.age !== expected) return { ok: false, reason: `result age ${result.age} is not the threshold ${expected}` };
  if (expected < asked.ageThreshold) return { ok: false, reason: `threshold ${expected} is below the legal age ${asked.ageThreshold}` };
  return { ok: true };
}
