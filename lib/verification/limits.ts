// Per-member limits on the verification routes that call Yoti (a new session may be billed; results are fetched
// from Yoti), kept in memory, one set per process.
import "server-only";
import { remember } from "@epic-web/remember";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { VerificationError } from "./errors";

const limiters = () =>
  remember("verification.limits", () => ({
    // Each new session may be billed by Yoti: ten starts per member per ten minutes is plenty for a person.
    create: new RateLimiterMemory({ keyPrefix: "yoti-create", points: 10, duration: 600 }),
    result: new RateLimiterMemory({ keyPrefix: "yoti-result", points: 60, duration: 60 }),
  }));

/** Takes one request from the member's allowance, or throws VerificationError("rate_limited") saying how long to wait. */
export async function limit(kind: "create" | "result", memberId: string): Promise<void> {
  try {
    await limiters()[kind].consume(memberId);
  } catch (rejection) {
    const seconds = Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
    throw new VerificationError("rate_limited", `Too many attempts. Please wait ${seconds} seconds and try again.`, seconds);
  }
}
