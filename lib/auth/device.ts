// The device cookie: a random id a browser gets at its first successful sign-in, so the sign-in limits can tell a
// member's own browsers (never slowed down by a stranger's guesses) from everyone else. Only its hash is stored.
import "server-only";
import { isUrlToken } from "@/lib/http/url-token";

const YEAR_S = 400 * 24 * 3600; // browsers cap cookie lifetimes at 400 days

/** __Host- (Secure, path /, no Domain: no subdomain can set or read it) whenever the site is served over https. */
export const deviceCookieName = (secure: boolean) => (secure ? "__Host-se_device" : "se_device");

/** The device id a request carries, if any (only well-formed values). */
export function deviceFromCookieHeader(header: string | null, secure: boolean): string | null {
  if (!header) return null;
  const name = deviceCookieName(secure);
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      const value = rest.join("=");
      return isUrlToken(value) ? value : null;
    }
  }
  return null;
}

/** Options for next/headers cookies().set and for a Set-Cookie header. */
export function deviceCookie(value: string, secure: boolean) {
  return { name: deviceCookieName(secure), value, httpOnly: true, secure, sameSite: "lax" as const, path: "/", maxAge: YEAR_S };
}

export function deviceSetCookieHeader(value: string, secure: boolean): string {
  const c = deviceCookie(value, secure);
  return `${c.name}=${c.value}; Path=/; Max-Age=${c.maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
