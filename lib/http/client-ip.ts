// The calling client's IP address for per-IP limits, read from X-Forwarded-For without trusting what a client wrote.
import "server-only";

/**
 * The client's address: X-Forwarded-For read from the right, skipping the proxies we trust (`TRUSTED_PROXIES`); the
 * first address that is not one of them is the client. scripts/serve.mjs appends the socket peer to the header (Next
 * itself only sets it when absent), so the rightmost entry is always the address that really connected, and entries a
 * client forged sit to its left where they are only reached through trusted proxies.
 */
export function clientIp(request: Request, trustedProxies: readonly string[]): string | null {
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalise(s.trim()))
    .filter(Boolean);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (i === 0 || !trustedProxies.includes(entries[i]!)) return entries[i]!;
  }
  return null;
}

/** IPv4 addresses may arrive IPv6-mapped (::ffff:203.0.113.9); a proxy may add a port or brackets. */
function normalise(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return normalise(bracketed[1]!);
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(address);
  if (v4port) return v4port[1]!;
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").toLowerCase();
}
