// API conventions: every error answers JSON {error: {code, message, fields?}} with the right status, and the one
// place where domain and provider errors become HTTP answers is here (the api() wrapper every route uses).
import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { AccountInputError, AccountLimitReached, LinkUnusable } from "@/lib/account-links/errors";
import { AccountSmsRefused } from "@/lib/account-messages/send";
import { PasswordHashBusy } from "@/lib/accounts/password";
import { AlertChoicesRefused } from "@/lib/alerts/preferences";
import { AnnouncementRefused } from "@/lib/announcements/errors";
import { AnnouncementChoicesRefused } from "@/lib/announcements/preferences";
import { AccountDisabled, SignInLimited } from "@/lib/auth/guard";
import { getEnv } from "@/lib/env";
import { MailError } from "@/lib/email/errors";
import { log } from "@/lib/log";
import { SignalRefused } from "@/lib/smoke-signals/errors";
import { TwilioError } from "@/lib/twilio/errors";
import { TwilioWebhookRefused } from "@/lib/twilio/webhook";
import { VerificationError } from "@/lib/verification/errors";
import { memberMessage, YotiError } from "@/lib/yoti/errors";
import { NotificationRejected } from "@/lib/yoti/notification";
import { PayloadTooLarge, readTextLimited } from "./body";
import { csrfVerdict } from "./csrf";
import { fieldErrors, type FieldErrors } from "./fields";
import { EVERY_ANSWER_HEADERS } from "./security-headers";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what = "This resource") => new ApiError(404, "not_found", `${what} was not found.`);
export const unauthorized = () => new ApiError(401, "unauthorized", "Sign in to use this endpoint.");

const retryAfter = (seconds: number | undefined) => (seconds ? { "Retry-After": String(seconds) } : undefined);

export function errorResponse(error: ApiError): NextResponse {
  const body = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  return NextResponse.json(body, { status: error.status, headers: { ...EVERY_ANSWER_HEADERS, ...error.headers } });
}

const EVERY_ANSWER = Object.entries(EVERY_ANSWER_HEADERS);

/**
 * The headers every answer carries (security-headers.ts), on an API answer: next.config.ts leaves /api/ to this. A
 * header the route set itself stays. A response whose headers cannot change (Response.redirect) is copied first.
 */
function withEveryAnswerHeaders(response: Response): Response {
  const add = (r: Response) => {
    for (const [name, value] of EVERY_ANSWER) if (!r.headers.has(name)) r.headers.set(name, value);
    return r;
  };
  try {
    return add(response);
  } catch {
    return add(new Response(response.body, response));
  }
}

/**
 * The HTTP answer for an error a route let through: the same condition gets the same status and code everywhere.
 * Null for errors nobody expected (a bug): the wrapper logs those and answers 500.
 */
export function toApiError(error: unknown, request?: Request): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof PayloadTooLarge) return new ApiError(413, "payload_too_large", error.message);
  if (error instanceof SignalRefused) return new ApiError(error.status, error.code, error.message, error.fields, retryAfter(error.retryAfterSeconds));
  if (error instanceof VerificationError) {
    return error.code === "rate_limited"
      ? new ApiError(429, error.code, error.message, undefined, retryAfter(error.retryAfterSeconds))
      : new ApiError(409, error.code, error.message);
  }
  if (error instanceof AccountLimitReached) return new ApiError(429, "rate_limited", error.message, undefined, retryAfter(error.retryAfterSeconds));
  if (error instanceof AccountInputError) return new ApiError(error.status, error.code, error.message, Object.keys(error.fields).length ? error.fields : undefined);
  if (error instanceof LinkUnusable) return new ApiError(error.state === "unknown" ? 404 : 410, `link_${error.state}`, error.message);
  if (error instanceof AccountSmsRefused) return new ApiError(error.status, error.code, error.message, undefined, retryAfter(error.retryAfterSeconds));
  if (error instanceof AlertChoicesRefused) return new ApiError(400, "invalid_preferences", error.message, error.fields);
  if (error instanceof AnnouncementChoicesRefused) return new ApiError(400, "invalid_preferences", error.message, error.fields);
  if (error instanceof AnnouncementRefused) return new ApiError(error.status, error.code, error.message, error.fields);
  if (error instanceof SignInLimited) return new ApiError(429, error.refusal.reason, error.refusal.message, undefined, retryAfter(error.refusal.retryAfterSeconds));
  if (error instanceof PasswordHashBusy) return new ApiError(429, "busy", error.message, undefined, retryAfter(error.retryAfterSeconds));
  if (error instanceof AccountDisabled) return new ApiError(403, "account_disabled", error.message);
  if (error instanceof TwilioWebhookRefused || error instanceof NotificationRejected) {
    // A forged or malformed webhook: 403 (Twilio's signature) / 401 (Yoti's) / 400 (not the provider's fields).
    const status = error.reason === "bad_signature" ? (error instanceof TwilioWebhookRefused ? 403 : 401) : 400;
    return new ApiError(status, error.reason, error.message);
  }
  // Provider failures: plain words for the caller; the operator's explanation (never a secret) goes to the log.
  const where = request ? { url: request.url, method: request.method } : {};
  if (error instanceof YotiError) {
    log.error({ ...where, yoti: { kind: error.kind, status: error.status, retryable: error.retryable } }, `yoti: ${error.message}`);
    return new ApiError(error.retryable ? 503 : 502, `yoti_${error.kind}`, memberMessage(error), undefined, error.retryable ? retryAfter(30) : undefined);
  }
  if (error instanceof TwilioError) {
    log.error({ ...where, twilio: { code: error.code, status: error.httpStatus, retryable: error.retryable } }, `twilio: ${error.operatorMessage}`);
    return new ApiError(error.retryable ? 503 : 502, "twilio_error", error.memberMessage, undefined, error.retryable ? retryAfter(30) : undefined);
  }
  if (error instanceof MailError) {
    log.error({ ...where, smtp: { code: error.responseCode, retryable: error.retryable } }, `email: ${error.operatorMessage}`);
    return new ApiError(error.retryable ? 503 : 502, "mail_error", error.memberMessage, undefined, error.retryable ? retryAfter(30) : undefined);
  }
  return null;
}

export function validationError(error: z.ZodError): ApiError {
  const fields = fieldErrors(error);
  const list = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
  return new ApiError(400, "invalid_request", `The request is not valid (${list}).`, fields);
}

/** Parses a JSON body against a schema; too large answers 413, not JSON or not matching answers 400. */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await readTextLimited(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The request body must be JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response;

const csrfChecked = new WeakSet<object>();

/**
 * Wraps a route handler so an unsafe request passes the CSRF rules (lib/http/csrf.ts) before it runs, else answers
 * their JSON 403/415. A safe method costs one comparison. Part of api(); app/api/routes.test.ts fails for an API route
 * whose unsafe methods do not apply it.
 */
function withCsrf<R extends Request, A extends unknown[]>(handler: (request: R, ...rest: A) => Promise<Response> | Response) {
  const checked = (request: R, ...rest: A): Promise<Response> | Response => {
    if (request.method === "GET" || request.method === "HEAD") return handler(request, ...rest);
    const verdict = csrfVerdict(request.method, new URL(request.url).pathname, request.headers, getEnv().appOrigin);
    if (!verdict.ok) return errorResponse(new ApiError(verdict.status, verdict.code, verdict.message));
    return handler(request, ...rest);
  };
  csrfChecked.add(checked);
  return checked;
}

/** Whether `handler` applies the CSRF rules first (made by api()). */
export const appliesCsrfRules = (handler: unknown): boolean => typeof handler === "function" && csrfChecked.has(handler);

/**
 * Wraps a route handler: the CSRF rules first; a known error -> its JSON answer (toApiError); anything else is logged
 * and answers a plain 500. Every answer carries the headers of EVERY_ANSWER_HEADERS.
 */
export function api<C>(handler: Handler<C>): Handler<C> {
  return withCsrf(async (request: Request, context: C) => {
    try {
      return withEveryAnswerHeaders(await handler(request, context));
    } catch (error) {
      const known = toApiError(error, request);
      if (known) return errorResponse(known);
      log.error({ err: error, url: request.url, method: request.method }, "unhandled error in API route");
      return errorResponse(new ApiError(500, "internal_error", "Something went wrong on our side. Please try again."));
    }
  });
}
