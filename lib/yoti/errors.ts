// Yoti failures classified (retryable or not) and explained in words an operator can act on; never quoting a secret.
export type YotiErrorKind = "sdk_id" | "api_key" | "bad_request" | "not_found" | "auth" | "unavailable" | "timeout" | "network" | "invalid_response";

export class YotiError extends Error {
  constructor(
    readonly kind: YotiErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = "YotiError";
  }
}

export const EXPLAIN = {
  sdk_id:
    "Yoti did not recognise the SDK ID for this environment (check YOTI_SDK_ID is the Age verification service's ID and that sandbox/production match)",
  api_key: "Yoti rejected the API key (active? revoked? belongs to this SDK ID?)",
  auth: "Yoti Central Auth refused the token request (is YOTI_PRIVATE_KEY the .pem downloaded for this SDK ID, and YOTI_AUTH_URL correct?)",
} as const;

/** Turns a non-2xx answer into a classified YotiError; `detail` is Yoti's own message/fields, never our headers. */
export function errorFromStatus(status: number, detail: { message?: string; fields?: string[] } = {}): YotiError {
  if (status === 401) return new YotiError("sdk_id", EXPLAIN.sdk_id, false, status);
  if (status === 403) return new YotiError("api_key", EXPLAIN.api_key, false, status);
  if (status === 404) return new YotiError("not_found", "Yoti has no such session for this SDK ID", false, status);
  if (status === 400 || status === 422) {
    const fields = detail.fields?.length ? detail.fields : undefined;
    const which = fields ? `fields: ${fields.join(", ")}` : detail.message ? detail.message : "no detail given";
    return new YotiError("bad_request", `Yoti refused the request as invalid (${which})`, false, status, fields);
  }
  if (status === 429) return new YotiError("unavailable", "Yoti is rate-limiting us; retry shortly", true, status);
  if (status >= 500) return new YotiError("unavailable", `Yoti answered ${status} (a problem on Yoti's side); retry shortly`, true, status);
  return new YotiError("invalid_response", `Yoti answered an unexpected HTTP ${status}`, false, status);
}

/** Network-level failures: the request may not have reached Yoti, so trying again is safe. */
export function errorFromFetch(error: unknown, timeoutMs: number, what = "Yoti"): YotiError {
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new YotiError("timeout", `${what} did not answer within ${timeoutMs / 1000} s; retry shortly`, true);
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return new YotiError("network", `Could not reach ${what}${cause ? ` (${cause})` : ""}: check the network and the configured URL; retry shortly`, true);
}

/** What a member is told: plain words, no configuration detail. */
export function memberMessage(error: YotiError): string {
  return error.retryable
    ? "Yoti, our age verification partner, is not answering right now. Please try again in a minute."
    : "Age verification is not available right now because of a problem with our Yoti setup. We have logged it; please try again later.";
}
