// Typed fetch client for Yoti's Age Verification Service: create a session, read it, read its result, sandbox response-config.
import "server-only";
import { errorBodySchema, createSessionResponseSchema, responseConfigSchema, sessionResultSchema } from "./schemas";
import type { CreateSessionRequest, CreateSessionResponse, ResponseConfig, SessionResult } from "./schemas";
import { errorFromFetch, errorFromStatus, YotiError } from "./errors";
import type { TokenSource } from "./token";
import type { z } from "zod";

export type YotiClientOptions = {
  apiUrl: string;
  sdkId: string;
  tokens: TokenSource;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export type YotiClient = ReturnType<typeof createYotiClient>;

export function createYotiClient(opts: YotiClientOptions) {
  const base = opts.apiUrl.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? fetch;

  async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, retried = false): Promise<z.infer<S>> {
    const token = await opts.tokens.token();
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        // Exactly the documented headers, on every call.
        headers: { Authorization: `Bearer ${token}`, "Yoti-SDK-Id": opts.sdkId, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw errorFromFetch(error, timeoutMs);
    }
    // Anything but 401/403 means Yoti took the key (a 404 for an unknown session included).
    if (response.status !== 401 && response.status !== 403) opts.tokens.accepted?.();
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      if (response.status === 403) {
        // A Central Auth token may have been revoked or expired early: drop it so the next call fetches a fresh one.
        opts.tokens.invalidate();
        // The key itself was refused: with a second key configured (a rotation's overlap), the request goes again
        // with it. A 403 was not processed, so nothing happens twice.
        if (!retried && opts.tokens.refused?.(403)) return call(method, path, schema, body, true);
      }
      const err = errorBodySchema.safeParse(json);
      const detail = err.success ? err.data : {};
      throw errorFromStatus(response.status, { message: detail.message, fields: fieldsOf(detail.context) });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new YotiError("invalid_response", `Yoti's answer to ${method} ${path.replace(/[0-9a-f-]{36}/g, "{id}")} did not have the documented shape`, true, response.status);
    }
    return parsed.data;
  }

  const id = (sessionId: string) => encodeURIComponent(sessionId);

  return {
    sdkId: opts.sdkId,
    createSession: (request: CreateSessionRequest): Promise<CreateSessionResponse> => call("POST", "/sessions", createSessionResponseSchema, request),
    getResult: (sessionId: string): Promise<SessionResult> => call("GET", `/sessions/${id(sessionId)}/result`, sessionResultSchema),
    /** Yoti's sandbox only: decide what the session's result will be. */
    setResponseConfig: (sessionId: string, config: ResponseConfig) =>
      call("PUT", `/sessions/${id(sessionId)}/response-config`, errorBodySchema, responseConfigSchema.parse(config)),
  };
}

/** Yoti's 400 `context` may be a list of {field|property, message} or a map; collect the field names either way. */
function fieldsOf(context: unknown): string[] | undefined {
  if (Array.isArray(context)) {
    const names = context.map((c) => (c && typeof c === "object" ? ((c as Record<string, unknown>).field ?? (c as Record<string, unknown>).property) : c)).filter((n): n is string => typeof n === "string");
    return names.length ? names : undefined;
  }
  if (context && typeof context === "object") return Object.keys(context);
  return undefined;
}
