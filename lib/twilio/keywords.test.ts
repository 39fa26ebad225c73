import { describe, expect, it } from "vitest";
import { HELP_KEYWORDS, keywordOf, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from "./keywords";

describe("Twilio's opt-out keywords (one list for the app and the emulator)", () => {
  it("match the whole message, trimmed, in any case, with a trailing full stop or exclamation mark", () => {
    expect(keywordOf(" stop ")).toEqual({ type: "STOP", keyword: "STOP" });
    expect(keywordOf("Unsubscribe!")).toEqual({ type: "STOP", keyword: "UNSUBSCRIBE" });
    expect(keywordOf("yes.")).toEqual({ type: "START", keyword: "YES" });
    expect(keywordOf("info")).toEqual({ type: "HELP", keyword: "INFO" });
  });

  it("do not match a keyword inside other words", () => {
    for (const body of ["stop please", "please stop", "STOPPED", "start now", ""]) expect(keywordOf(body), body).toBeNull();
  });

  it("know every default keyword of each class", () => {
    expect(OPT_OUT_KEYWORDS.map((k) => keywordOf(k)?.type)).toEqual(OPT_OUT_KEYWORDS.map(() => "STOP"));
    expect(OPT_IN_KEYWORDS.map((k) => keywordOf(k)?.type)).toEqual(OPT_IN_KEYWORDS.map(() => "START"));
    expect(HELP_KEYWORDS.map((k) => keywordOf(k)?.type)).toEqual(HELP_KEYWORDS.map(() => "HELP"));
  });
});
