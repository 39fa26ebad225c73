// Routes Twilio's REST paths (2010-04-01 Accounts, Messages, IncomingPhoneNumbers; messaging v1 Services; Verify v2) to the
// emulator's operations, after HTTP Basic auth as Twilio does it (401 / 20003), the account's concurrency limit
// (429 / 20429, never processed) and any faults the tester switched on.
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { log } from "@/lib/log";
import { sleep, withhold } from "@/lib/sandbox/faults";
import type { EmulatorContext } from "./emulator";
import { pickRequestFault } from "./faults";
import { createMessage, fetchMessage, listMessagesPage } from "./messages";
import { accountJson, API_VERSION, errorResponse, incomingNumberJson, pageJson } from "./resources";
import { getMessage } from "./store";
import { handleVerify } from "./verify";

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function authenticated(ctx: EmulatorContext, request: Request): boolean {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // The account SID with its auth token, or one of the account's API keys with its secret (the account is in the URL).
  if (same(user, ctx.accountSid)) return same(password, ctx.authToken);
  return (ctx.apiKeys ?? []).some((k) => same(user, k.sid) && same(password, k.secret));
}

const notFound = (path: string) => errorResponse(404, 20404, `The requested resource ${path} was not found`);
const tooMany = () => errorResponse(429, 20429, "Too many concurrent requests", { "retry-after": "1" });

/** The phone number a request is about (for faults aimed at one number): a send's To, a list's To, a message's To. */
function numberOf(ctx: EmulatorContext, path: string, url: URL, form: URLSearchParams | null): string | null {
  if (form?.get("To")) return form.get("To")!.trim();
  if (url.searchParams.get("To")) return url.searchParams.get("To");
  const one = /\/Messages\/((?:SM|MM)[0-9a-f]{32})\.json$/.exec(path);
  return one ? (getMessage(ctx.db, one[1]!)?.to ?? null) : null;
}

export async function handleRequest(ctx: EmulatorContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  // Mounted under /sandbox/twilio in the app, at / in tests: route on the Twilio part of the path.
  const at = Math.max(url.pathname.indexOf(`/${API_VERSION}/`), url.pathname.indexOf("/messaging/v1/"), url.pathname.indexOf("/verify/v2/"));
  const path = at >= 0 ? url.pathname.slice(at).replace(/\/+$/, "") : url.pathname;
  if (!authenticated(ctx, request)) {
    return errorResponse(401, 20003, "Authenticate", { "www-authenticate": 'Basic realm="Twilio API"' });
  }
  if (ctx.active >= ctx.maxConcurrentRequests) {
    ctx.faults.count("20429 (concurrency limit)");
    return tooMany();
  }
  ctx.active++;
  try {
    const form = request.method.toUpperCase() === "POST" ? new URLSearchParams(await request.text()) : null;
    const fault = pickRequestFault(ctx.faults, numberOf(ctx, path, url, form));
    if (fault === "error503") return errorResponse(503, 20503, "Service Unavailable");
    if (fault === "tooManyRequests") return tooMany();
    // Every request is processed as it arrives; faults below only affect the answer.
    const response = await route(ctx, request, url, path, form);
    const { latencyMs, timeoutAnswerAfterMs } = ctx.faults.get();
    if (latencyMs > 0) await sleep(latencyMs);
    if (fault === "error500") return errorResponse(500, 20500, "Internal Server Error");
    if (fault === "timeout" && !(await withhold(request.signal, timeoutAnswerAfterMs))) return errorResponse(504, 20504, "Gateway Timeout");
    return response;
  } catch (error) {
    log.error({ err: error, path }, "sandbox Twilio emulator failed");
    return errorResponse(500, 20500, "An internal server error has occurred");
  } finally {
    ctx.active--;
  }
}

async function route(ctx: EmulatorContext, request: Request, url: URL, path: string, form: URLSearchParams | null): Promise<Response> {
  const method = request.method.toUpperCase();
  const accounts = new RegExp(`^/${API_VERSION}/Accounts/([^/]+?)(\\.json|/.*)$`).exec(path);
  if (accounts) {
    const [, accountSid, rest] = accounts as unknown as [string, string, string];
    if (accountSid !== ctx.accountSid) return notFound(path);
    if (rest === ".json" && method === "GET") {
      return Response.json(accountJson({ sid: ctx.accountSid, authToken: ctx.authToken, ...ctx.account }));
    }
    if (rest === "/Messages.json" && method === "POST") return createMessage(ctx, form ?? new URLSearchParams());
    if (rest === "/Messages.json" && method === "GET") return listMessagesPage(ctx, url.searchParams, path);
    const one = /^\/Messages\/(SM[0-9a-f]{32}|MM[0-9a-f]{32})\.json$/.exec(rest);
    if (one && method === "GET") return fetchMessage(ctx, one[1]!, path);
    if (rest === "/IncomingPhoneNumbers.json" && method === "GET") return incomingNumbers(ctx, url.searchParams, path);
    return notFound(path);
  }
  if (path.startsWith("/verify/v2/")) return handleVerify(ctx, method, path, form);
  const service = /^\/messaging\/v1\/Services\/(MG[0-9a-fA-F]{32})$/.exec(path);
  if (service && method === "GET") {
    if (service[1] !== ctx.messagingServiceSid) return notFound(path);
    return Response.json({
      account_sid: ctx.accountSid,
      sid: ctx.messagingServiceSid,
      friendly_name: "Select Exposure sandbox service",
      date_created: new Date(ctx.account.created).toISOString(),
      date_updated: new Date(ctx.account.created).toISOString(),
      status_callback: null,
      url: `https://messaging.twilio.com/v1/Services/${ctx.messagingServiceSid}`,
    });
  }
  return notFound(path);
}

function incomingNumbers(ctx: EmulatorContext, query: URLSearchParams, path: string): Response {
  const wanted = query.get("PhoneNumber");
  const pageSize = Math.min(Math.max(Number(query.get("PageSize")) || 50, 1), 1000);
  const numbers = ctx.phoneNumbers.filter((n) => !wanted || n.includes(wanted.replace(/[^\d+]/g, ""))).slice(0, pageSize);
  const uri = `${path}?${new URLSearchParams({ ...(wanted ? { PhoneNumber: wanted } : {}), PageSize: String(pageSize), Page: "0" })}`;
  return Response.json(
    pageJson(
      "incoming_phone_numbers",
      numbers.map((n) => incomingNumberJson(ctx.accountSid, n, ctx.account.created)),
      { page: 0, pageSize, uri, firstPageUri: uri, nextPageUri: null, previousPageUri: null },
    ),
  );
}
