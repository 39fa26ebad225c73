// Doctor check for email: the SMTP server in SMTP_URL answers and accepts our login (nothing is sent).
import "server-only";
import { classifySmtpError } from "@/lib/email/errors";
import { verifySmtp } from "@/lib/email/mailer";
import type { Env } from "@/lib/env";
import { fail, pass, warn, type CheckResult } from "./types";

/** host:port of an SMTP URL, never its user name or password. */
function where(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === "smtps:" ? "465" : "587")}`;
  } catch {
    return "SMTP_URL";
  }
}

export async function mailChecks(env: Env): Promise<CheckResult[]> {
  const { smtpUrl } = env.mail;
  if (!smtpUrl) {
    return env.mode === "sandbox"
      ? [warn("smtp", "SMTP_URL is not set: sandbox mode catches email at /sandbox/mail instead of sending it")]
      : [fail("smtp", "SMTP_URL is not set: live mode needs an SMTP server to send email")];
  }
  try {
    await verifySmtp(smtpUrl);
    return [pass("smtp", `${where(smtpUrl)} answered and accepted the login; mail goes out as ${env.mail.from}`)];
  } catch (error) {
    return [fail("smtp", `${where(smtpUrl)}: ${classifySmtpError(error).operatorMessage}`)];
  }
}
