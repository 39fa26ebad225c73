// The calling client's IP address for per-IP limits, read from X-Forwarded-For without trusting what a client wrote.
import "server-only";
import { addressMatcher } from "./address";

/**
 * The client's address: X-Forwarded-For read from the right, skipping the proxies we trust (`TRUSTED_PROXIES`, addresses or
 * CIDR ranges); the
 * first address that is not one of them is the client. scripts/serve.mjs appends the socket peer to the header (Next
 * itself only sets it when absent), so the rightmost entry is always the address that really connected, and entries a
 * client forged sit to its left where they are only reached through trusted proxies.
 */
export function clientIp(request: Request | Headers, trustedProxies: readonly string[]): string | null {
  const headers = request instanceof Headers ? request : request.headers;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalise(s.trim()))
    .filter(Boolean);
  const trusted = matcherFor(trustedProxies);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (i === 0 || !trusted(entries[i]!)) return entries[i]!;
  }
  return null;
}

// The configured list is parsed once (it lives as long as the process's Env), not on every request.
const matchers = new WeakMap<readonly string[], (address: string) => boolean>();
function matcherFor(list: readonly string[]): (address: string) => boolean {
  let m = matchers.get(list);
  if (!m) matchers.set(list, (m = addressMatcher(list)));
  return m;
}

/** IPv4 addresses may arrive IPv6-mapped (::ffff:203.0.113.9); a proxy may add a port or brackets. */
function normalise(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return normalise(bracketed[1]!);
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address);
  if (v4port) return v4port[1]!;
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").toLowerCase();
}
