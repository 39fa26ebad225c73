// API conventions: every error answers JSON {error: {code, message, fields?}} with the right status; handlers stay thin.
import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { readTextLimited } from "./body";
import { csrfVerdict } from "./csrf";

/** No JSON API of ours needs more; a larger body is refused before it is buffered. */
export const MAX_JSON_BYTES = 64 * 1024;

export type FieldErrors = Record<string, string>;

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
export const forbidden = (message = "You are not allowed to do that.") => new ApiError(403, "forbidden", message);

export function errorResponse(error: ApiError): NextResponse {
  const body = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  return NextResponse.json(body, { status: error.status, headers: error.headers });
}

/** Turns zod issues into {field: message}, first message per field. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "body";
    fields[key] ??= issue.message;
  }
  return fields;
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
  const text = await readTextLimited(request, MAX_JSON_BYTES);
  if (text === null) throw new ApiError(413, "payload_too_large", "The request body is too large (at most 64 KiB).");
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
 * their JSON 403/415. A safe method costs one comparison. api() includes it; Auth.js's route, which cannot use api(),
 * uses it directly; app/api/routes.test.ts fails for an API route that has neither.
 */
export function withCsrf<R extends Request, A extends unknown[]>(handler: (request: R, ...rest: A) => Promise<Response> | Response) {
  const checked = (request: R, ...rest: A): Promise<Response> | Response => {
    if (request.method === "GET" || request.method === "HEAD") return handler(request, ...rest);
    const verdict = csrfVerdict(request.method, new URL(request.url).pathname, request.headers, new URL(getEnv().appUrl).origin);
    if (!verdict.ok) return errorResponse(new ApiError(verdict.status, verdict.code, verdict.message));
    return handler(request, ...rest);
  };
  csrfChecked.add(checked);
  return checked;
}

/** Whether `handler` applies the CSRF rules first (made by withCsrf or api()). */
export const appliesCsrfRules = (handler: unknown): boolean => typeof handler === "function" && csrfChecked.has(handler);

/** Wraps a route handler: the CSRF rules first; ApiError -> its JSON answer; anything else is logged and answers a plain 500. */
export function api<C>(handler: Handler<C>): Handler<C> {
  return withCsrf(async (request: Request, context: C) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      log.error({ err: error, url: request.url, method: request.method }, "unhandled error in API route");
      return errorResponse(new ApiError(500, "internal_error", "Something went wrong on our side. Please try again."));
    }
  });
}
