// The local Yoti AVS emulator as a framework-free fetch handler: Yoti's API, Central Auth, and the hosted page's form posts.
import "server-only";
import { constants, createPublicKey, randomBytes, verify } from "node:crypto";
import { remember } from "@epic-web/remember";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { sleep, withhold, type FaultStore } from "@/lib/sandbox/faults";
import { createSessionRequestSchema, responseConfigSchema } from "../schemas";
import { createYotiFaults, pickYotiRequestFault, rollYoti, type YotiFaults } from "./faults";
import { cancelHostedSession, HostedError, submitHostedResult } from "./hosted";
import { createNotifier } from "./notifier";
import { createEmulatedSession, findEmulatedSession, resultBody, updateEmulatedSession } from "./store";

export const EMULATOR_PREFIX = "/sandbox/yoti";

export type YotiEmulatorOptions = {
  db: Db;
  sdkId: string;
  apiKey: string;
  notificationPrivateKeyPem: string;
  /** When set, the emulator also plays Yoti Central Auth for a client holding the matching private key. */
  centralAuth?: { publicKeyPem: string; tokenUrl: string };
  fetch?: typeof fetch;
  /** Notification retry backoff (default: 0.5 s doubling up to 10 minutes, for as long as it takes). */
  retry?: { baseMs: number; capMs: number };
  /** Fault settings as in SANDBOX_YOTI_FAULTS, or a store to share with the control page. */
  faults?: string | FaultStore<YotiFaults>;
  now?: () => Date;
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const redirect = (location: string) => new Response(null, { status: 303, headers: { location } });

// Central Auth tokens live in memory (one store per process, shared by Next's route bundles): they are short-lived by
// design, and only tests use Central Auth against the emulator, since sandbox mode signs in with the API key.
const issued = remember("yoti.emulatorTokens", () => new Map<string, number>());

export function createYotiEmulator(opts: YotiEmulatorOptions): (request: Request) => Promise<Response> {
  const now = opts.now ?? (() => new Date());
  const faults = typeof opts.faults === "object" ? opts.faults : createYotiFaults(opts.faults);
  const notifier = createNotifier({ db: opts.db, privateKeyPem: opts.notificationPrivateKeyPem, faults, fetch: opts.fetch, retry: opts.retry, now });
  // Notifications a previous process still owed go out now, not only once someone next calls the emulator.
  notifier.resumePending();

  function authenticate(request: Request): Response | null {
    const sdkId = request.headers.get("yoti-sdk-id")?.trim();
    if (!sdkId || sdkId !== opts.sdkId) return json({ message: "Unauthorized: missing or unknown Yoti-SDK-Id", error_code: "UNAUTHORIZED" }, 401);
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    const valid = token !== undefined && (token === opts.apiKey || (issued.get(token) ?? 0) > now().getTime());
    if (!valid) return json({ message: "Forbidden: incorrect API key or token", error_code: "FORBIDDEN" }, 403);
    return null;
  }

  /** Yoti's API with the tester's faults: 503 before processing, 500 or a withheld answer after, added latency. */
  async function api(request: Request, path: string): Promise<Response> {
    const denied = authenticate(request);
    if (denied) return denied;
    const fault = pickYotiRequestFault(faults);
    if (fault === "error503") return json({ message: "Service Unavailable", error_code: "SERVICE_UNAVAILABLE" }, 503);
    if (request.method === "GET" && /^sessions\/[^/]+\/result$/.test(path) && rollYoti(faults, "resultError")) {
      return json({ message: "Service Unavailable", error_code: "SERVICE_UNAVAILABLE" }, 503);
    }
    const response = await processApi(request, path);
    const { latencyMs, timeoutAnswerAfterMs } = faults.get();
    if (latencyMs > 0) await sleep(latencyMs);
    if (fault === "error500") return json({ message: "Internal Server Error", error_code: "INTERNAL_SERVER_ERROR" }, 500);
    if (fault === "timeout" && !(await withhold(request.signal, timeoutAnswerAfterMs))) return json({ message: "Gateway Timeout" }, 504);
    return response;
  }

  /** Yoti's 400 for a body that fails validation: each problem with the field it is about. */
  function invalidField(message: string, error: z.ZodError): Response {
    const context = error.issues.map((i) => ({ field: i.path.join(".") || "body", message: i.message }));
    return json({ message, error_code: "INVALID_FIELD", context }, 400);
  }

  async function processApi(request: Request, path: string): Promise<Response> {
    if (request.method === "POST" && path === "sessions") {
      const body = await request.json().catch(() => undefined);
      const parsed = createSessionRequestSchema.safeParse(body);
      if (!parsed.success) return invalidField("Invalid request body", parsed.error);
      const session = createEmulatedSession(opts.db, opts.sdkId, parsed.data, now());
      return json({ id: session.id, status: session.status, expires_at: session.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z") });
    }
    const m = /^sessions\/([^/]+)(?:\/(result|response-config))?$/.exec(path);
    if (!m) return json({ message: "Not found" }, 404);
    const session = findEmulatedSession(opts.db, decodeURIComponent(m[1]!), opts.sdkId, now());
    if (!session) return json({ message: "Session not found", error_code: "SESSION_NOT_FOUND" }, 404);
    if (request.method === "GET" && !m[2]) return json(resultBody(session, false));
    if (request.method === "GET" && m[2] === "result") return json(resultBody(session));
    if (request.method === "PUT" && m[2] === "response-config") {
      const parsed = responseConfigSchema.safeParse(await request.json().catch(() => undefined));
      if (!parsed.success) return invalidField("Invalid response config", parsed.error);
      updateEmulatedSession(opts.db, session.id, { responseConfig: parsed.data, updatedAt: now() });
      return json({ message: "Response config set successfully" });
    }
    return json({ message: "Method not allowed" }, 405);
  }

  async function token(request: Request): Promise<Response> {
    if (!opts.centralAuth || request.method !== "POST") return json({ error: "not_found" }, 404);
    const form = new URLSearchParams(await request.text());
    const assertion = form.get("client_assertion") ?? "";
    const [h, c, s] = assertion.split(".");
    if (form.get("grant_type") !== "client_credentials" || form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || !h || !c || !s) {
      return json({ error: "invalid_request" }, 400);
    }
    try {
      const header = JSON.parse(Buffer.from(h, "base64url").toString());
      const claims = JSON.parse(Buffer.from(c, "base64url").toString());
      const ok =
        header.alg === "PS384" &&
        verify("sha384", Buffer.from(`${h}.${c}`), { key: createPublicKey(opts.centralAuth.publicKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, Buffer.from(s, "base64url")) &&
        claims.iss === `sdk:${opts.sdkId}` &&
        claims.sub === claims.iss &&
        claims.aud === opts.centralAuth.tokenUrl &&
        typeof claims.jti === "string" &&
        claims.exp * 1000 > now().getTime() &&
        claims.exp - claims.iat <= 1800;
      if (!ok) return json({ error: "invalid_client" }, 401);
    } catch {
      return json({ error: "invalid_client" }, 401);
    }
    const accessToken = randomBytes(24).toString("base64url");
    issued.set(accessToken, now().getTime() + 1800 * 1000);
    return json({ access_token: accessToken, token_type: "Bearer", expires_in: 1800, scope: form.get("scope") ?? "" });
  }

  async function hosted(request: Request, sessionId: string, action: string): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const sdkId = form.get("sdkId") ?? "";
    const back = (error: string) => redirect(`${EMULATOR_PREFIX}?${new URLSearchParams({ sessionId, sdkId, error })}`);
    try {
      if (action === "cancel") return redirect(cancelHostedSession(opts.db, sessionId, sdkId, now()));
      const outcome = form.get("outcome") === "ERROR" ? "ERROR" : "AGE";
      // Number("") is 0, which would silently report a FAIL: a missing age must be refused like any other bad age.
      const ageText = form.get("age")?.trim() ?? "";
      const age = ageText === "" ? Number.NaN : Number(ageText);
      const { redirect: to } = await submitHostedResult(opts.db, notifier, sessionId, sdkId, { method: form.get("method") ?? "", age, outcome }, now());
      return redirect(to);
    } catch (error) {
      if (error instanceof HostedError) return back(error.message);
      throw error;
    }
  }

  return async (request) => {
    const path = new URL(request.url).pathname;
    if (!path.startsWith(`${EMULATOR_PREFIX}/`)) return json({ message: "Not found" }, 404);
    const rest = path.slice(EMULATOR_PREFIX.length + 1).replace(/\/+$/, "");
    if (rest.startsWith("api/v1/")) return api(request, rest.slice("api/v1/".length));
    if (rest === "auth/v1/oauth/token") return token(request);
    const h = /^hosted\/([^/]+)\/(submit|cancel)$/.exec(rest);
    if (h && request.method === "POST") return hosted(request, decodeURIComponent(h[1]!), h[2]!);
    return json({ message: "Not found" }, 404);
  };
}
