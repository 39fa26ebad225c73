import { describe, expect, it } from "vitest";
import { PROFILE_RETURN_URL, returnPage, returnPageHeaders, SIGNED_OUT_RETURN_URL } from "./return-page";

const dataOf = (html: string) => JSON.parse(/<script id="yoti-return" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);

describe("the page the browser sees on its way back from Yoti", () => {
  it("states the outcome in words and sends a full-page flow to the profile's verification section", () => {
    const html = returnPage("FAIL", "s-1", { nonce: "n0nce" });
    expect(html).toContain("Yoti could not confirm that you are old enough");
    expect(dataOf(html)).toEqual({ type: "yoti-verification", status: "FAIL", sessionId: "s-1", profileUrl: PROFILE_RETURN_URL });
    expect(PROFILE_RETURN_URL).toBe("/profile?verification=returned#age-verification");
  });

  it("cannot be broken out of by what it embeds", () => {
    const html = returnPage("</script><script>alert(1)</script>", "</script>", { nonce: "n0nce" });
    expect(html).not.toContain("<script>alert(1)");
    expect(dataOf(html).status).toBe("</script><script>alert(1)</script>");
  });

  it("sends a signed-out browser to sign in, then to the profile", () => {
    const html = returnPage("UNKNOWN", null, { signedOut: true, nonce: "n0nce" });
    expect(html).toContain("Sign in to see the outcome of your check.");
    expect(dataOf(html).profileUrl).toBe(SIGNED_OUT_RETURN_URL);
    expect(decodeURIComponent(SIGNED_OUT_RETURN_URL)).toBe(`/signin?next=${PROFILE_RETURN_URL}`);
  });

  it("runs only its own script: the one inline script carries the nonce its CSP allows, and no site may frame it", () => {
    const html = returnPage("COMPLETE", "s-1", { nonce: "n0nce" });
    const executable = [...html.matchAll(/<script(?![^>]*type="application\/json")([^>]*)>/g)].map((m) => m[1]);
    expect(executable).toEqual([' nonce="n0nce"']);
    const csp = returnPageHeaders("n0nce")["content-security-policy"];
    expect(csp).toContain("script-src 'nonce-n0nce'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
