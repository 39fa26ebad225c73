// The client IP address of a request, for per-IP limits.
import "server-only";

/**
 * The client's IP as the nearest proxy saw it: the last X-Forwarded-For entry (a proxy appends the address it was
 * reached from; Next sets the header from the socket when no proxy did).
 */
export function clientIp(request: Request): string | null {
  const xff = request.headers.get("x-forwarded-for");
  const last = xff?.split(",").pop()?.trim();
  return last || request.headers.get("x-real-ip") || null;
}
