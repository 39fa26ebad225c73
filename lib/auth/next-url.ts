// Where a member may be sent after signing in or up: only paths on this site, never another origin (no open redirects).

const BASE = "http://same-origin.invalid";

const refused = (c: string) => c === "\\" || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

/**
 * `next` if it is a path on this site, else `fallback`. Browsers drop tabs and newlines from URLs and read `\` as `/`,
 * so `/\t/evil.example` would become `//evil.example`: such characters are refused, and the path must resolve to our
 * own origin.
 */
export function safeNext(next: unknown, fallback = "/profile"): string {
  if (typeof next !== "string" || !next.startsWith("/") || [...next].some(refused)) return fallback;
  try {
    return new URL(next, BASE).origin === BASE ? next : fallback;
  } catch {
    return fallback;
  }
}
