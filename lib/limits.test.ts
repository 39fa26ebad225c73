import { describe, expect, it } from "vitest";
import { windowRetryAfter } from "./limits";

describe("windowRetryAfter", () => {
  const HOUR = 3600_000;
  const now = Date.UTC(2025, 0, 1, 12);

  it("is the time until the oldest counted request leaves the window, rounded up to a second", () => {
    expect(windowRetryAfter({ oldest: new Date(now - 20 * 60_000) }, HOUR, now)).toBe(40 * 60);
    expect(windowRetryAfter({ oldest: new Date(now - HOUR + 1_500) }, HOUR, now)).toBe(2);
  });

  it("is never less than one second (a request leaving the window right now, or already gone)", () => {
    expect(windowRetryAfter({ oldest: new Date(now - HOUR) }, HOUR, now)).toBe(1);
    expect(windowRetryAfter({ oldest: new Date(now - 2 * HOUR) }, HOUR, now)).toBe(1);
  });

  it("counts a whole window from now when the oldest is unknown", () => {
    expect(windowRetryAfter({ oldest: null }, HOUR, now)).toBe(3600);
  });
});
