// SMTP failures classified retryable or not, in words a member can read and detail an operator can act on.
import "server-only";
export class MailError extends Error {
  constructor(
    /** For operators and logs: never contains credentials. */
    readonly operatorMessage: string,
    readonly retryable: boolean,
    readonly memberMessage: string,
    readonly responseCode: number | null = null,
  ) {
    super(operatorMessage);
    this.name = "MailError";
  }
}

type SmtpLike = { code?: string; responseCode?: number; response?: string; command?: string; message?: string };

/** Maps a nodemailer error: 4xx and network trouble are worth retrying, 5xx and bad credentials are not. */
export function classifySmtpError(error: unknown): MailError {
  const e = (error ?? {}) as SmtpLike;
  const response = (e.response ?? e.message ?? "unknown error").replace(/\s+/g, " ").slice(0, 300);
  if (e.code === "EAUTH") {
    return new MailError(`SMTP login failed (${response}): check the user name and password in SMTP_URL`, false, "Email could not be sent because of a server configuration problem.");
  }
  if (typeof e.responseCode === "number") {
    if (e.responseCode >= 500) {
      return new MailError(`SMTP ${e.responseCode} on ${e.command ?? "send"}: ${response}`, false, "The recipient's mail server refused the message. Check the address.", e.responseCode);
    }
    if (e.responseCode >= 400) {
      return new MailError(`SMTP ${e.responseCode} (temporary) on ${e.command ?? "send"}: ${response}`, true, "The mail server asked us to try again later.", e.responseCode);
    }
  }
  if (e.code && ["ECONNECTION", "ETIMEDOUT", "ESOCKET", "ECONNREFUSED", "EDNS", "ECONNRESET"].includes(e.code)) {
    return new MailError(`cannot reach the SMTP server (${e.code}: ${response}): check the host and port in SMTP_URL`, true, "The mail server could not be reached; we will try again.");
  }
  return new MailError(`email send failed: ${response}`, true, "Email could not be sent yet; we will try again.");
}
