// Runs before routing, for pages only: a malformed %-escape is a plain 400, every HTML page gets a fresh CSP nonce
// (Next puts it on its own scripts), live https adds HSTS. API routes and the emulators' APIs never reach it (see the
// matcher), so they pay nothing for it, except an address holding a %-escape, which it checks before Next's routing
// would answer a malformed one with a 500. The API's CSRF rules live in the route layer (withCsrf in
// lib/http/api.ts). Why: docs/decisions/030-request-checks-placement.md.
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { contentSecurityPolicy, EVERY_ANSWER_HEADERS, HSTS, newNonce } from "@/lib/http/security-headers";

const NOT_A_PAGE = /^\/(api|sandbox\/twilio|sandbox\/yoti)\//;

// The configuration is fixed for the life of the process: derive what each request needs once.
let site: { https: boolean; hsts: boolean } | undefined;
function siteOf() {
  if (!site) {
    const env = getEnv();
    const https = env.appUrl.startsWith("https://");
    site = { https, hsts: https && env.mode === "live" };
  }
  return site;
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const notAPage = NOT_A_PAGE.test(pathname);
  if (pathname.includes("%")) {
    try {
      decodeURIComponent(pathname);
    } catch {
      const message = "The address is not valid: it contains a malformed %-escape.";
      // Answered here, not by api() or a page: the headers every answer carries (next.config leaves /api/ to api()).
      if (notAPage) return NextResponse.json({ error: { code: "invalid_url", message } }, { status: 400, headers: EVERY_ANSWER_HEADERS });
      return new NextResponse(message, { status: 400, headers: { ...EVERY_ANSWER_HEADERS, "content-type": "text/plain; charset=utf-8" } });
    }
  }
  if (notAPage) return NextResponse.next();
  const { https, hsts } = siteOf();
  const h = request.headers;
  let response: NextResponse;
  if (h.has("rsc") || h.has("next-router-prefetch") || h.has("next-action")) {
    response = NextResponse.next();
  } else {
    const nonce = newNonce();
    const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
    const headers = new Headers(h);
    headers.set("content-security-policy", csp);
    headers.set("x-nonce", nonce);
    response = NextResponse.next({ request: { headers } });
    response.headers.set("Content-Security-Policy", csp);
  }
  if (hsts) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // One pattern, so a request the proxy skips costs Next a single regular expression: every address except static
  // files, and except the APIs and the emulators' APIs unless the address holds a %-escape (the app's own clients and
  // the providers never send one).
  matcher: ["/((?!_next/static|_next/image|icon\\.svg|favicon\\.ico)(?!(?:api|sandbox/twilio|sandbox/yoti)/[^%]*$).*)"],
};
