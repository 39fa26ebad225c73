// What we ask Yoti for: an OVER check at the configured age, methods and thresholds, with URLs built from APP_URL;
// this deployment's policy is read from the environment (getPolicy).
import "server-only";
import type { VerificationRequest } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { YOTI_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import type { CreateSessionRequest, Method } from "@/lib/yoti/schemas";

export type VerificationPolicy = {
  sdkId: string;
  appUrl: string;
  portalUrl: string;
  ageThreshold: number;
  ageEstimationBuffer: number;
  methods: readonly Method[];
  ttlSeconds: number;
  /** Yoti only calls https notification URLs in production; without one we rely on the browser return and polling. */
  sendNotificationUrl: boolean;
};


/** Thresholds per allowed method; age estimation gets Yoti's recommended buffer above the legal age. */
export function thresholdsFor(policy: VerificationPolicy): VerificationRequest["thresholds"] {
  const t: VerificationRequest["thresholds"] = {};
  for (const m of policy.methods) t[m] = m === "AGE_ESTIMATION" ? policy.ageThreshold + policy.ageEstimationBuffer : policy.ageThreshold;
  return t;
}

export function requestSnapshot(policy: VerificationPolicy): VerificationRequest {
  return { type: "OVER", sdkId: policy.sdkId, ageThreshold: policy.ageThreshold, thresholds: thresholdsFor(policy) };
}

export function buildCreateRequest(policy: VerificationPolicy, referenceId: string): CreateSessionRequest {
  const t = thresholdsFor(policy);
  const allowed = (m: Method) => policy.methods.includes(m);
  const estimationThreshold = policy.ageThreshold + policy.ageEstimationBuffer;
  // Yoti refuses a digital ID fallback estimation threshold that is not 1..20 above the digital ID threshold.
  const fallbackEstimation = allowed("AGE_ESTIMATION") && policy.ageEstimationBuffer >= 1 && policy.ageEstimationBuffer <= 20;
  return {
    type: "OVER",
    ttl: policy.ttlSeconds,
    reference_id: referenceId,
    age_estimation: { allowed: allowed("AGE_ESTIMATION"), threshold: t.AGE_ESTIMATION ?? estimationThreshold, level: "PASSIVE", retry_limit: 1 },
    digital_id: {
      allowed: allowed("DIGITAL_ID"),
      threshold: policy.ageThreshold,
      ...(fallbackEstimation ? { age_estimation_allowed: true, age_estimation_threshold: estimationThreshold } : { age_estimation_allowed: false }),
      level: "NONE",
      retry_limit: 1,
    },
    doc_scan: { allowed: allowed("DOC_SCAN"), threshold: policy.ageThreshold, authenticity: "AUTO", level: "PASSIVE", retry_limit: 1 },
    credit_card: { allowed: false },
    mobile: { allowed: false },
    callback: { auto: true, url: `${policy.appUrl}${YOTI_CALLBACK_PATH}` },
    ...(policy.sendNotificationUrl ? { notification_url: `${policy.appUrl}${YOTI_CALLBACK_PATH}` } : {}),
    cancel_url: `${policy.appUrl}${YOTI_CALLBACK_PATH}?cancelled=1`,
    retry_enabled: true,
    resume_enabled: false,
    synchronous_checks: true,
  };
}

export function verificationUrl(policy: VerificationPolicy, sessionId: string): string {
  const url = new URL(policy.portalUrl);
  url.searchParams.set("sessionId", sessionId);
  url.searchParams.set("sdkId", policy.sdkId);
  return url.toString();
}

export const SESSION_TTL_SECONDS = 900;

export function getPolicy(): VerificationPolicy {
  const env = getEnv();
  return {
    sdkId: env.yoti.sdkId,
    appUrl: env.appUrl,
    portalUrl: env.yoti.portalUrl,
    ageThreshold: env.yoti.ageThreshold,
    ageEstimationBuffer: env.yoti.ageEstimationBuffer,
    methods: env.yoti.methods,
    ttlSeconds: SESSION_TTL_SECONDS,
    sendNotificationUrl: env.mode === "sandbox" || env.appUrl.startsWith("https://"),
  };
}
