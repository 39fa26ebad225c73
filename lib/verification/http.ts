// How verification failures reach HTTP: member-facing words in the answer, the operator's explanation in the log.
import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { ApiError } from "@/lib/http/api";
import { log } from "@/lib/log";
import { memberMessage, YotiError } from "@/lib/yoti/errors";
import { VerificationError } from "./service";

export function toApiError(error: unknown, context: Record<string, unknown> = {}): unknown {
  if (error instanceof VerificationError) return new ApiError(409, error.code, error.message);
  if (error instanceof YotiError) {
    // The explanation names the setting to fix; it never contains a credential.
    log.error({ ...context, yoti: { kind: error.kind, status: error.status, retryable: error.retryable } }, `yoti: ${error.message}`);
    return new ApiError(error.retryable ? 503 : 502, `yoti_${error.kind}`, memberMessage(error), undefined, error.retryable ? { "Retry-After": "30" } : undefined);
  }
  return error;
}

// Per-member limits, process-wide (globalThis: Next bundles each route separately).
const limits = globalThis as unknown as { __seVerificationLimits?: { create: RateLimiterMemory; result: RateLimiterMemory } };
limits.__seVerificationLimits ??= {
  // Each new session may be billed by Yoti: ten starts per member per ten minutes is plenty for a person.
  create: new RateLimiterMemory({ keyPrefix: "yoti-create", points: 10, duration: 600 }),
  result: new RateLimiterMemory({ keyPrefix: "yoti-result", points: 60, duration: 60 }),
};

export async function limit(kind: "create" | "result", memberId: string): Promise<void> {
  try {
    await limits.__seVerificationLimits![kind].consume(memberId);
  } catch (rejection) {
    const seconds = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
    throw new ApiError(429, "rate_limited", `Too many attempts. Please wait ${seconds} seconds and try again.`, undefined, { "Retry-After": String(seconds) });
  }
}
