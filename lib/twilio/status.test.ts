import { describe, expect, it } from "vitest";
import { isFinalStatus, mergeStatus, toSignalStatus } from "./status";

describe("toSignalStatus", () => {
  it("maps Twilio's statuses onto Pending, Delivered and Failed", () => {
    for (const s of ["accepted", "queued", "sending", "sent", "scheduled"]) expect(toSignalStatus(s)).toBe("Pending");
    expect(toSignalStatus("delivered")).toBe("Delivered");
    expect(toSignalStatus("read")).toBe("Delivered");
    expect(toSignalStatus("undelivered")).toBe("Failed");
    expect(toSignalStatus("failed")).toBe("Failed");
    expect(toSignalStatus("canceled")).toBe("Failed");
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
