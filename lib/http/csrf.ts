// Cross-site request forgery: an unsafe request to an API that accepts the session cookie must be JSON and come from
// the app's own origin. Pure (headers in, verdict out) so the proxy can apply it to every /api route before routing,
// and new routes are covered without opting in. Why each surface is covered or exempt: docs/decisions/010-csrf.md.

import { EMAIL_UNSUBSCRIBE_PATH, TWILIO_INBOUND_PATH, TWILIO_STATUS_CALLBACK_PATH, YOTI_CALLBACK_PATH } from "./webhook-paths";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * API routes that never read the session cookie: each is authenticated otherwise and called by servers that send no
 * Origin and no JSON. Exempt from both checks.
 */
const exactly = (path: string, tail = "") => new RegExp(`^${path.replace(/[/-]/g, "\\$&")}${tail}/?$`);
export const EXEMPT_ROUTES: readonly { pattern: RegExp; why: string }[] = [
  { pattern: exactly(TWILIO_STATUS_CALLBACK_PATH), why: "Twilio's status callbacks: form-encoded, signed with X-Twilio-Signature" },
  { pattern: exactly(TWILIO_INBOUND_PATH), why: "Twilio's inbound-SMS webhook: form-encoded, signed with X-Twilio-Signature" },
  { pattern: exactly(YOTI_CALLBACK_PATH), why: "Yoti's notification: signed with RSA-PSS (its GET is the browser's return)" },
  { pattern: exactly(EMAIL_UNSUBSCRIBE_PATH, "/[A-Za-z0-9_-]+"), why: "RFC 8058 one-click unsubscribe: the mail provider POSTs a form; the token in the URL is the authority" },
];

/** Auth.js's own endpoints take form posts and check their own double-submit CSRF token: the origin check only. */
const AUTHJS = /^\/api\/auth\//;

export type CsrfVerdict =
  | { ok: true; /** A Bearer request: forward it without cookies, so only the token can authenticate it. */ stripCookies: boolean }
  | { ok: false; status: 403 | 415; code: string; message: string };

const PASS: CsrfVerdict = { ok: true, stripCookies: false };

export function csrfVerdict(method: string, pathname: string, headers: Headers, appOrigin: string): CsrfVerdict {
  if (!UNSAFE.has(method.toUpperCase()) || !pathname.startsWith("/api/")) return PASS;
  if (EXEMPT_ROUTES.some((r) => r.pattern.test(pathname))) return PASS;
  const bearer = /^Bearer\s/i.test(headers.get("authorization") ?? "");
  if (!bearer) {
    const origin = headers.get("origin");
    const site = headers.get("sec-fetch-site");
    // Browsers send Origin on every unsafe request; Sec-Fetch-Site is the fallback. A client that sends neither is
    // not a browser, and a forged request needs the victim's browser: it is let through.
    const foreign = origin !== null ? origin !== appOrigin : site !== null && site !== "same-origin" && site !== "none";
    if (foreign) {
      const from = origin !== null ? `Origin: ${origin}` : `Sec-Fetch-Site: ${site}`;
      return {
        ok: false,
        status: 403,
        code: "cross_site_request",
        message: `This request came from another site (${from}), so it was refused. Requests made with your sign-in must come from ${appOrigin}.`,
      };
    }
  }
  if (!AUTHJS.test(pathname)) {
    const type = (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      return {
        ok: false,
        status: 415,
        code: "unsupported_media_type",
        message: `Send the request body as JSON with Content-Type: application/json${type ? ` (this request sent ${type})` : ""}.`,
      };
    }
  }
  return bearer ? { ok: true, stripCookies: true } : PASS;
}
