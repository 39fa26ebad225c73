import { describe, expect, it } from "vitest";
import { isFinalStatus, mergeStatus, statusOutcome } from "./status";

describe("statusOutcome", () => {
  it("says whether a Twilio status means on its way, delivered or failed", () => {
    for (const s of ["accepted", "queued", "sending", "sent", "scheduled"]) expect(statusOutcome(s)).toBe("pending");
    expect(statusOutcome("delivered")).toBe("delivered");
    expect(statusOutcome("read")).toBe("delivered");
    expect(statusOutcome("undelivered")).toBe("failed");
    expect(statusOutcome("failed")).toBe("failed");
    expect(statusOutcome("canceled")).toBe("failed");
  });
});

describe("mergeStatus", () => {
  it("moves forward along queued -> sent -> delivered", () => {
    expect(mergeStatus(null, "queued")).toBe("queued");
    expect(mergeStatus("queued", "sent")).toBe("sent");
    expect(mergeStatus("sent", "delivered")).toBe("delivered");
  });

  it("ignores a late 'sent' after 'delivered', and duplicates", () => {
    expect(mergeStatus("delivered", "sent")).toBe("delivered");
    expect(mergeStatus("delivered", "queued")).toBe("delivered");
    expect(mergeStatus("delivered", "delivered")).toBe("delivered");
    expect(mergeStatus("undelivered", "sent")).toBe("undelivered");
  });

  it("reaches the same final status whatever order the callbacks arrive in", () => {
    const callbacks = ["queued", "sending", "sent", "delivered"];
    const permutations = (xs: string[]): string[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of permutations(callbacks)) {
      let status: string | null = null;
      for (const s of order) {
        const next = mergeStatus(status, s);
        expect(isFinalStatus(status) ? next : "ok").toBe(isFinalStatus(status) ? status : "ok");
        status = next;
      }
      expect(status).toBe("delivered");
    }
  });

  it("never lets an unknown status replace a known one", () => {
    expect(mergeStatus("sent", "something-new")).toBe("sent");
  });
});
