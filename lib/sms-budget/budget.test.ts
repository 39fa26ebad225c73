import { describe, expect, it } from "vitest";
import { budgetReachedMessage, budgetResumeDay } from "./budget";

describe("the day SMS resume after the budget stopped them", () => {
  it("is the first of the next UTC month, in words, across the year's end", () => {
    expect(budgetResumeDay(new Date("2025-02-28T23:59:59Z"))).toBe("1 March");
    expect(budgetResumeDay(new Date("2025-12-01T00:00:00Z"))).toBe("1 January");
    expect(budgetReachedMessage(new Date("2025-02-10T12:00:00Z"))).toContain("sends none until 1 March.");
  });
});
