// Runs before routing. API requests: a malformed %-escape is a plain 400, and unsafe requests pass the CSRF rules
// (lib/http/csrf.ts). Pages: a fresh CSP nonce per HTML response (Next puts it on its own scripts). Live https: HSTS.
// API routes, RSC and prefetch requests and static assets skip the nonce work: it only matters for an HTML page.
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { csrfVerdict } from "@/lib/http/csrf";
import { contentSecurityPolicy, HSTS, newNonce } from "@/lib/http/security-headers";

const NO_PAGE = /^\/(api|sandbox\/twilio|sandbox\/yoti)\//;

// The configuration is fixed for the life of the process: derive what each request needs once.
let site: { origin: string; https: boolean; hsts: boolean } | undefined;
function siteOf() {
  if (!site) {
    const env = getEnv();
    const https = env.appUrl.startsWith("https://");
    site = { origin: new URL(env.appUrl).origin, https, hsts: https && env.mode === "live" };
  }
  return site;
}

function withHsts(response: NextResponse, hsts: boolean): NextResponse {
  if (hsts) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
  } catch {
    const message = "The address is not valid: it contains a malformed %-escape.";
    if (pathname.startsWith("/api/")) {
      return NextResponse.json({ error: { code: "invalid_url", message } }, { status: 400 });
    }
    return new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const { origin, https, hsts } = siteOf();

  if (pathname.startsWith("/api/")) {
    const verdict = csrfVerdict(request.method, pathname, request.headers, origin);
    if (!verdict.ok) return withHsts(NextResponse.json({ error: { code: verdict.code, message: verdict.message } }, { status: verdict.status }), hsts);
    if (!verdict.stripCookies) return withHsts(NextResponse.next(), hsts);
    const headers = new Headers(request.headers);
    headers.delete("cookie");
    return withHsts(NextResponse.next({ request: { headers } }), hsts);
  }

  const h = request.headers;
  if (NO_PAGE.test(pathname) || h.has("rsc") || h.has("next-router-prefetch") || h.has("next-action")) return withHsts(NextResponse.next(), hsts);
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(h);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return withHsts(response, hsts);
}

export const config = { matcher: ["/((?!_next/static|_next/image|icon.svg|favicon.ico).*)"] };
