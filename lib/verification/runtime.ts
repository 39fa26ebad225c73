// The verification policy of this deployment, read from the environment.
import "server-only";
import { getEnv } from "@/lib/env";
import type { VerificationPolicy } from "./policy";

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
