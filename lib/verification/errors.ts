// Why an age verification request was not carried out (the api() wrapper in lib/http/api.ts answers it over HTTP).
export class VerificationError extends Error {
  constructor(
    /** already_verified: nothing left to verify; rate_limited: too many requests from this member for now. */
    readonly code: "already_verified" | "rate_limited",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "VerificationError";
  }
}
