import { describe, expect, it } from "vitest";
import { safeNext } from "./next-url";

describe("where sign-in may send a member next", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNext("/profile?verification=returned#age-verification")).toBe("/profile?verification=returned#age-verification");
    expect(safeNext("/members")).toBe("/members");
  });

  it.each([
    ["another origin", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash the browser reads as a slash", "/\\evil.example/"],
    ["a tab the browser drops", "/\t/evil.example/"],
    ["a newline the browser drops", "/\n/evil.example/"],
    ["a carriage return", "/\r/evil.example"],
    ["a relative path", "profile"],
    ["no value", undefined],
    ["a list of values", ["/profile"]],
  ])("refuses %s", (_what, next) => {
    expect(safeNext(next)).toBe("/profile");
  });
});
