import { describe, expect, it } from "vitest";
import { composeEmail, composeSms, maskRecipient } from "./compose";

describe("what a smoke signal says", () => {
  it("an SMS names the sender, carries the join link and says how to opt out", () => {
    const sms = composeSms({ message: "Come along", senderName: "Ana", joinUrl: "https://x.example/join/abc" });
    expect(sms).toBe("Ana invites you to Select Exposure: Come along\nJoin: https://x.example/join/abc\nReply STOP to opt out.");
  });

  it("an email escapes the member's words in its HTML", () => {
    const mail = composeEmail({ message: "<b>hi</b> & bye", senderName: "Ana", joinUrl: "https://x.example/join/abc", unsubscribeUrl: "https://x.example/unsubscribe/t" });
    expect(mail.html).toContain("&lt;b&gt;hi&lt;/b&gt; &amp; bye");
    expect(mail.text).toContain("https://x.example/join/abc");
  });

  it("recipients are masked, keeping just enough to recognise them", () => {
    expect(maskRecipient("+447700900123")).toBe("+44*******123");
    expect(maskRecipient("friend@example.com")).toBe("f***@example.com");
  });
});
