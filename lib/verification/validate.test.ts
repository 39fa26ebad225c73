import { describe, expect, it } from "vitest";
import resultComplete from "@/lib/yoti/fixtures/result-complete.json";
import { sessionResultSchema } from "@/lib/yoti/schemas";
import { validateResult } from "./validate";

// The documented example asked for digital ID at 18 and age estimation at 21.
const session = {
  id: resultComplete.id,
  referenceId: resultComplete.reference_id,
  request: { type: "OVER" as const, sdkId: resultComplete.sdk_id, ageThreshold: 18, thresholds: { AGE_ESTIMATION: 21, DIGITAL_ID: 18, DOC_SCAN: 18 } },
};
const result = (patch: Record<string, unknown> = {}) => sessionResultSchema.parse({ ...resultComplete, ...patch });

describe("result validation fails closed", () => {
  it("accepts the documented COMPLETE result that matches what we asked", () => {
    expect(validateResult(result(), session)).toEqual({ ok: true });
  });

  it.each([
    ["reference_id", { reference_id: "someone_else" }, /reference_id/],
    ["sdk_id", { sdk_id: "00000000-0000-0000-0000-000000000000" }, /sdk_id/],
    ["missing sdk_id", { sdk_id: null }, /sdk_id/],
    ["session id", { id: "another-session" }, /id does not match/],
    ["type", { type: "UNDER" }, /type/],
    ["threshold", { digital_id: { ...resultComplete.digital_id, threshold: 16 }, age: 16 }, /threshold 16/],
    ["age", { age: 13 }, /age 13/],
    ["method", { method: "CREDIT_CARD" }, /method CREDIT_CARD/],
  ])("refuses a mismatched %s", (_what, patch, reason) => {
    const outcome = validateResult(result(patch), session);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(reason);
  });

  it("refuses a threshold below the legal age even if it is what the session says", () => {
    const lax = { ...session, request: { ...session.request, thresholds: { DIGITAL_ID: 16 } } };
    expect(validateResult(result({ digital_id: { ...resultComplete.digital_id, threshold: 16 }, age: 16 }), lax).ok).toBe(false);
  });
});
