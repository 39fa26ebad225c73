// What a smoke signal says on the wire (SMS text, email) and how recipients are masked; pure, so the compose form can
// count SMS characters with the very text the server will send.
import { escapeHtml } from "@/lib/http/html";

export const EMAIL_MAX_CHARS = 5000;

export function joinUrl(appUrl: string, token: string): string {
  return `${appUrl}/join/${token}`;
}

export function composeSms(input: { message: string; senderName: string; joinUrl: string }): string {
  return `${input.senderName} invites you to Select Exposure: ${input.message}\nJoin: ${input.joinUrl}\nReply STOP to opt out.`;
}

/** The text of an "Own phone" invitation: the member's own words and their personal join link, sent from their phone. */
export function composeOwnPhone(input: { message: string; joinUrl: string }): string {
  return `${input.message}\n\nJoin me on Select Exposure: ${input.joinUrl}`;
}


/** An invitation email; its last text line is the unsubscribe link (the mailer mirrors it in List-Unsubscribe). */
export function composeEmail(input: { message: string; senderName: string; joinUrl: string; unsubscribeUrl: string }): { subject: string; text: string; html: string } {
  const subject = `${input.senderName} invites you to Select Exposure`;
  const footer = "You received this because a member entered your address and confirmed you agreed to hear from them.";
  const unsubscribe = "Do not want invitations from Select Exposure members? Unsubscribe:";
  const text = `${input.message}\n\nJoin Select Exposure: ${input.joinUrl}\n\n${footer}\n${unsubscribe} ${input.unsubscribeUrl}\n`;
  const html =
    `<p>${escapeHtml(input.message).replace(/\n/g, "<br>")}</p><p><a href="${escapeHtml(input.joinUrl)}">Join Select Exposure</a></p>` +
    `<p style="color:#666">${footer}<br>Do not want invitations from Select Exposure members? <a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe</a></p>`;
  return { subject, text, html };
}

/** A recipient shown without giving it away: +44*******123, j***@example.com ("your own phone" when none was given). */
export function maskRecipient(recipient: string): string {
  if (!recipient) return "your own phone";
  const at = recipient.indexOf("@");
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  if (recipient.length <= 6) return "*".repeat(recipient.length);
  return `${recipient.slice(0, 3)}${"*".repeat(recipient.length - 6)}${recipient.slice(-3)}`;
}
