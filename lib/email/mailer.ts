// Sends email: over SMTP with nodemailer when SMTP_URL is set, otherwise (sandbox mode only) into the local mail catcher.
import "server-only";
import { remember } from "@epic-web/remember";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { catchMail } from "./catcher";
import { MailError, classifySmtpError } from "./errors";
import { listUnsubscribeHeaders } from "./unsubscribe";

export type OutgoingMail = { to: string; subject: string; text: string; html?: string | null };
export type MailReceipt = { messageId: string; response: string; caught: boolean };

/** One pooled transport per process, for the SMTP URL in force (the previous one is closed when it changes). */
function smtpTransport(smtpUrl: string): Transporter {
  const slot = remember("email.smtp", () => ({}) as { url?: string; transport?: Transporter });
  if (!slot.transport || slot.url !== smtpUrl) {
    slot.transport?.close();
    slot.url = smtpUrl;
    slot.transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
  }
  return slot.transport;
}

/** Sends one message; throws MailError (classified retryable or not) when the mail server refuses or cannot be reached. */
export async function sendMail(db: Db, mail: OutgoingMail): Promise<MailReceipt> {
  const env = getEnv();
  const { smtpUrl, from } = env.mail;
  // An invitation ends with its unsubscribe link: the RFC 8058 headers point mail clients' unsubscribe button at it.
  const headers = listUnsubscribeHeaders(db, env.appUrl, mail);
  if (!smtpUrl) {
    if (env.mode !== "sandbox") throw new MailError("SMTP_URL is not set", false, "Email is not configured on this server.");
    const caught = catchMail(db, { from, ...mail, headers });
    return { messageId: `<${caught.id}@sandbox.local>`, response: "caught by the sandbox mail catcher", caught: true };
  }
  try {
    const info = await smtpTransport(smtpUrl).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined, headers });
    if (info.rejected?.length) throw new MailError(`recipient rejected: ${String(info.response)}`, false, "The recipient's mail server refused this address.");
    return { messageId: info.messageId, response: String(info.response ?? "accepted"), caught: false };
  } catch (error) {
    throw error instanceof MailError ? error : classifySmtpError(error);
  }
}

/** Connects and logs in without sending, for the doctor. */
export async function verifySmtp(smtpUrl: string): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000 } as never);
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}
