// Why an account flow refused, in the member's words: a limit (429 + Retry-After), bad input (400 with fields), or a
// link that cannot be used (what happened to it and what to do next). lib/http/api.ts answers each; forms show them.
import type { EmailedLinkPurpose } from "@/db/schema";

export class AccountLimitReached extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "AccountLimitReached";
  }
}

/** Input refused before anything changed; `fields` name what to fix. */
export class AccountInputError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    readonly status: 400 | 409 = 400,
    readonly code = "invalid_request",
  ) {
    super(message);
    this.name = "AccountInputError";
  }
}

export type UnusableState = "unknown" | "expired" | "used" | "replaced";

const NEXT: Record<EmailedLinkPurpose, { again: string; used: string }> = {
  sign_up: { again: "Sign up again to get a new one.", used: "If you created your account with it, sign in." },
  verify_email: { again: "Ask for a new one on your profile.", used: "Your address is confirmed if you opened it before; see your profile." },
  change_email: { again: "Ask for the change again on your profile.", used: "If you confirmed the change with it, your profile shows the new address." },
  reset_password: { again: "Ask for a new one on the “Forgot your password?” page.", used: "If you set a new password with it, sign in with that password." },
};

/** The words for a link that cannot be used, with what to do next. Pure, so pages and APIs say the same. */
export function unusableLinkWords(purpose: EmailedLinkPurpose, state: UnusableState, lifetime: string): string {
  const next = NEXT[purpose];
  switch (state) {
    case "unknown":
      return `This link does not work. Check that you copied the whole link from the email. ${next.again}`;
    case "expired":
      return `This link has expired: it worked for ${lifetime}. ${next.again}`;
    case "used":
      return `This link has already been used: each link works once. ${next.used} ${next.again}`;
    case "replaced":
      return `A newer link was sent after this one, so this one no longer works. Use the link in the latest email, or: ${next.again.charAt(0).toLowerCase()}${next.again.slice(1)}`;
  }
}

/** A link that cannot be used: 404 when we never issued it, 410 when it expired, was used or was replaced. */
export class LinkUnusable extends Error {
  constructor(
    readonly state: UnusableState,
    message: string,
  ) {
    super(message);
    this.name = "LinkUnusable";
  }
}
