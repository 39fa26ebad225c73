// Response headers that protect pages: a Content-Security-Policy with a fresh nonce per page (no inline script runs
// without it, no framing), HSTS in live mode, and the three headers every answer carries. Pure, so next.config.ts,
// the proxy, the API wrapper and the few HTML route handlers share one policy.

/** 128 random bits, base64: what a page's inline scripts must carry to run. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The policy of every page. Scripts: only with this response's nonce ('strict-dynamic' lets those load Next's chunks).
 * Styles: inline allowed (React style attributes and the emulator pages use them; no script runs from a style).
 */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Two years, subdomains included: browsers then refuse plain http to the site (sent in live mode over https only). */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The headers every answer carries, whatever it is: no content-type sniffing, no full URL in Referer to other sites, no
 * framing (for browsers without CSP frame-ancestors). next.config.ts sets them on everything outside /api/ (pages,
 * static files, Next's own error pages, the emulators); api() sets them on every API answer, where Next's header
 * matching would cost each request more than the rest of the route layer (decision 067).
 */
export const EVERY_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
};
