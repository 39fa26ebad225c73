// Rolling-window limits' shared arithmetic: how long until a full window frees its next try. Pure; each caller keeps
// its own count, limit and words.

/** What a limit counts in its window: how many requests, and when the oldest of them was made. */
export type RollingWindow = { n: number; oldest: Date | null };

/**
 * Seconds (at least 1) until a full window of `windowMs` frees a try: when its oldest counted request leaves it (a
 * window without one counts from `now`).
 */
export function windowRetryAfter(window: Pick<RollingWindow, "oldest">, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil(((window.oldest?.getTime() ?? now) + windowMs - now) / 1000));
}
