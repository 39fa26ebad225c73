import { describe, expect, it } from "vitest";
import { PROFILE_RETURN_URL, returnPage, SIGNED_OUT_RETURN_URL } from "./return-page";

const dataOf = (html: string) => JSON.parse(/<script id="yoti-return" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);

describe("the page the browser sees on its way back from Yoti", () => {
  it("states the outcome in words and sends a full-page flow to the profile's verification section", () => {
    const html = returnPage("FAIL", "s-1");
    expect(html).toContain("Yoti could not confirm that you are old enough");
    expect(dataOf(html)).toEqual({ type: "yoti-verification", status: "FAIL", sessionId: "s-1", profileUrl: PROFILE_RETURN_URL });
    expect(PROFILE_RETURN_URL).toBe("/profile?verification=returned#age-verification");
  });

  it("cannot be broken out of by what it embeds", () => {
    const html = returnPage("</script><script>alert(1)</script>", "</script>");
    expect(html).not.toContain("<script>alert(1)");
    expect(dataOf(html).status).toBe("</script><script>alert(1)</script>");
  });

  it("sends a signed-out browser to sign in, then to the profile", () => {
    const html = returnPage("UNKNOWN", null, true);
    expect(html).toContain("Sign in to see the outcome of your check.");
    expect(dataOf(html).profileUrl).toBe(SIGNED_OUT_RETURN_URL);
    expect(decodeURIComponent(SIGNED_OUT_RETURN_URL)).toBe(`/signin?next=${PROFILE_RETURN_URL}`);
  });
});
