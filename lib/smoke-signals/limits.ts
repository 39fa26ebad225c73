// Abuse limits against SMS pumping: signals per member, per recipient and per IP over a rolling 24 hours, counted in
// SQLite inside the sending transaction so concurrent requests cannot slip past.
import "server-only";
import type { Db } from "@/db/client";
import type { Env } from "@/lib/env";
import { windowRetryAfter, type RollingWindow } from "@/lib/limits";
import { SignalRefused } from "./errors";
import { signalsSince } from "./queries";

const DAY_MS = 24 * 3600_000;

/** Throws a 429 SignalRefused (with Retry-After) when any limit is reached. */
export function checkLimits(tx: Db, limits: Env["limits"], who: { senderId: string; recipientKey: string; ip: string | null }, now = Date.now()): void {
  const since = now - DAY_MS;
  const checks: [RollingWindow | null, number, string, string][] = [
    [signalsSince(tx, "sender", who.senderId, since), limits.perMemberPerDay, "member_daily_limit", `You have sent ${limits.perMemberPerDay} smoke signals in the last 24 hours, the most allowed.`],
    [who.recipientKey ? signalsSince(tx, "recipient", who.recipientKey, since) : null, limits.perRecipientPerDay, "recipient_daily_limit", `This recipient has already been sent ${limits.perRecipientPerDay} smoke signals in the last 24 hours.`],
    [who.ip ? signalsSince(tx, "ip", who.ip, since) : null, limits.perIpPerDay, "ip_daily_limit", "Too many smoke signals have been sent from your network in the last 24 hours."],
  ];
  for (const [w, limit, code, message] of checks) {
    if (!w || w.n < limit) continue;
    const retryAfter = windowRetryAfter(w, DAY_MS, now);
    const when = retryAfter >= 3600 ? `${Math.ceil(retryAfter / 3600)} hours` : `${Math.ceil(retryAfter / 60)} minutes`;
    throw new SignalRefused(429, code, `${message} Try again in about ${when}.`, undefined, retryAfter);
  }
}
