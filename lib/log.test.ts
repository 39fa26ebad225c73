import { describe, expect, it } from "vitest";
import { FLOOD_GATE_MS, floodGate, heldBackWords } from "./log";

describe("floodGate: a warning strangers can cause at will is logged once a minute per key", () => {
  it("lets the first through, holds back the rest for a minute, then lets one through with the count held back", () => {
    const key = `test:${Math.random()}`;
    const t0 = 1_000_000;
    expect(floodGate(key, t0)).toEqual({ heldBack: 0 });
    for (let i = 1; i <= 25; i++) expect(floodGate(key, t0 + i * 1000)).toBeNull();
    expect(floodGate(key, t0 + FLOOD_GATE_MS - 1)).toBeNull();
    expect(floodGate(key, t0 + FLOOD_GATE_MS)).toEqual({ heldBack: 26 });
    // The count starts again from the line let through.
    expect(floodGate(key, t0 + FLOOD_GATE_MS + 1)).toBeNull();
    expect(floodGate(key, t0 + 2 * FLOOD_GATE_MS)).toEqual({ heldBack: 1 });
    // A quiet key lets the next one through with nothing held back.
    expect(floodGate(key, t0 + 10 * FLOOD_GATE_MS)).toEqual({ heldBack: 0 });
  });

  it("keeps one gate per key: a flood of one cause does not hide another", () => {
    const [a, b] = [`test:a:${Math.random()}`, `test:b:${Math.random()}`];
    expect(floodGate(a, 0)).toEqual({ heldBack: 0 });
    expect(floodGate(a, 1)).toBeNull();
    expect(floodGate(b, 2)).toEqual({ heldBack: 0 });
  });

  it("says how many were held back, and nothing when none were", () => {
    expect(heldBackWords(0)).toBe("");
    expect(heldBackWords(41)).toBe(" (41 more like it since the last such line, not logged)");
  });
});
