import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./rate";

describe("the emulator's per-sender rate limit", () => {
  it("accepts a client pacing at exactly its rate whose previous request arrived late, and refuses one truly too fast", () => {
    let now = 0;
    const buckets = new TokenBuckets(1, () => now);
    // The outbox sends at t=0 and t=1000 ms; the first request took 40 ms longer to arrive than the second.
    now = 40;
    expect(buckets.take("+15005550006")).toEqual({ ok: true });
    now = 1000;
    expect(buckets.take("+15005550006")).toEqual({ ok: true });
    // Half a second later is over the rate: 429 with the wait.
    now = 1500;
    const refused = buckets.take("+15005550006");
    expect(refused.ok).toBe(false);
  });

  it("keeps the sustained rate: 10 seconds of requests every 100 ms at 1 per second get about 10 through", () => {
    let now = 0;
    const buckets = new TokenBuckets(1, () => now);
    let ok = 0;
    for (; now <= 10_000; now += 100) if (buckets.take("s").ok) ok++;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(12);
  });
});
