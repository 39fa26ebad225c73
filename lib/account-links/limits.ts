// Limits on the account flows' emails (links asked for per address, per account, per network), with the words and
// the Retry-After a refusal carries (an API answers 429, a form shows the words).
import "server-only";
import type { Db } from "@/db/client";
import type { AccountLinkPurpose } from "@/db/schema";
import { windowRetryAfter } from "@/lib/limits";
import { AccountLimitReached } from "./errors";
import { requestsSince } from "./links";

export { AccountLimitReached };


/** "45 seconds", "12 minutes", "2 hours": how long until a limit frees the next try. */
export const inWords = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : seconds < 5400 ? `${Math.ceil(seconds / 60)} minutes` : `${Math.ceil(seconds / 3600)} hours`);

/**
 * Throws AccountLimitReached when `limit` requests of `purpose` by `by` were made in the last `windowMs`; the oldest
 * one leaving the window frees the next. `words(wait)` is the refusal's message.
 */
export function checkLimit(
  db: Db,
  purpose: AccountLinkPurpose | AccountLinkPurpose[],
  by: Parameters<typeof requestsSince>[2],
  limit: number,
  windowMs: number,
  words: (wait: string) => string,
  now = Date.now(),
): void {
  const window = requestsSince(db, purpose, by, now - windowMs);
  if (window.n < limit) return;
  const retryAfterSeconds = windowRetryAfter(window, windowMs, now);
  throw new AccountLimitReached(words(inWords(retryAfterSeconds)), retryAfterSeconds);
}
