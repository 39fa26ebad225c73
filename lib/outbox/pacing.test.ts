import { describe, expect, it } from "vitest";
import { retryDelayMs, TokenBucket } from "./pacing";

describe("the token bucket", () => {
  it("allows a burst, then refills at the configured rate", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    expect(bucket.waitMs()).toBe(100);
    now = 100;
    expect(bucket.take()).toBe(true);
    now = 10_000;
    expect(bucket.available()).toBe(2);
  });
});

describe("retry delays", () => {
  it("grow exponentially from 2 s, stay within half to all of the step, and are capped at 10 minutes", () => {
    expect(retryDelayMs(1, { random: () => 0 })).toBe(1000);
    expect(retryDelayMs(1, { random: () => 1 })).toBe(2000);
    expect(retryDelayMs(3, { random: () => 1 })).toBe(8000);
    expect(retryDelayMs(30, { random: () => 1 })).toBe(600_000);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(4)));
    expect(spread.size).toBeGreaterThan(1);
  });
});
