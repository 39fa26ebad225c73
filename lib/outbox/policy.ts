// How long the outbox waits before looking things up at the provider, in live mode and against the sandbox's emulator
// (whose clock is faster: it settles and prices messages within seconds). One policy per process, by provider mode;
// tests and benchmarks pass their own.
import "server-only";
import { getEnv } from "@/lib/env";

export type DeliveryPolicy = {
  /** Between the two look-ups that must both find nothing before a message whose outcome was unknown is sent again. */
  recheckMs: number;
  /** Retrying stops, and the message fails with a plain reason, this long after its first attempt. */
  giveUpAfterMs: number;
  /** A sent SMS whose final status has not arrived this long after sending is looked up at Twilio (then with backoff)... */
  statusCheckAfterMs: number;
  /** ...for at most this long after sending. */
  statusCheckForMs: number;
  /**
   * A billed SMS is looked up for its price this long after its final status (then with backoff): Twilio prices a
   * message a while after it is final, so a look at once would nearly always find nothing and cost a request.
   */
  priceCheckAfterMs: number;
};

export const LIVE_POLICY: DeliveryPolicy = {
  recheckMs: 15_000,
  giveUpAfterMs: 24 * 3600_000,
  statusCheckAfterMs: 10 * 60_000,
  statusCheckForMs: 72 * 3600_000,
  priceCheckAfterMs: 60_000,
};
export const SANDBOX_POLICY: DeliveryPolicy = { recheckMs: 2_000, giveUpAfterMs: 24 * 3600_000, statusCheckAfterMs: 30_000, statusCheckForMs: 72 * 3600_000, priceCheckAfterMs: 1_500 };

/** The policy of this process's provider mode (the dispatcher's, and the one status callbacks are applied with). */
export function deliveryPolicy(): DeliveryPolicy {
  return getEnv().mode === "sandbox" ? SANDBOX_POLICY : LIVE_POLICY;
}
