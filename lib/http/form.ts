// Reads an application/x-www-form-urlencoded body (how Twilio posts webhooks) into a plain string map.
import "server-only";

/** Any other content type yields no parameters (so signature checks fail with 403, as for any forged request). */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (!type.includes("application/x-www-form-urlencoded")) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * The client's IP as the nearest proxy saw it: the last X-Forwarded-For entry (a proxy appends the address it was
 * reached from; Next sets the header from the socket when no proxy did).
 */
export function clientIp(request: Request): string | null {
  const xff = request.headers.get("x-forwarded-for");
  const last = xff?.split(",").pop()?.trim();
  return last || request.headers.get("x-real-ip") || null;
}
