// Authenticator-app codes (TOTP, RFC 6238: SHA-1, 6 digits, 30 seconds, what every authenticator app reads), the
// otpauth:// link and its QR code, drawn here as SVG (no external service ever sees the secret).
import "server-only";
import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";

export const ISSUER = "Select Exposure";
const PERIOD = 30;
const DIGITS = 6;

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The secret as people type it: groups of four. */
export const groupedSecret = (base32: string) => base32.replace(/(.{4})/g, "$1 ").trim();

export function totpUri(base32: string, account: string): string {
  return new TOTP({ issuer: ISSUER, label: account, secret: Secret.fromBase32(base32), digits: DIGITS, period: PERIOD }).toString();
}

/** The otpauth:// link as a QR code in an SVG data: URL (an <img> the page's CSP allows). */
export function totpQrDataUrl(uri: string): string {
  const svg = renderSVG(uri, { ecc: "M", border: 2, pixelSize: 6 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export const totpStep = (now: number) => Math.floor(now / 1000 / PERIOD);

/** The current code (tests and the sandbox's demo only; members' apps compute it themselves). */
export const totpCode = (base32: string, now = Date.now()) => TOTP.generate({ secret: Secret.fromBase32(base32), digits: DIGITS, period: PERIOD, timestamp: now });

/**
 * Checks a code against the secret, one step either side (clocks drift). A code of a step at or before `lastStep` was
 * already used: refused as a replay (RFC 6238 section 5.2).
 */
export function checkTotp(base32: string, code: string, lastStep: number | null, now = Date.now()): { ok: true; step: number } | { ok: false; reason: "wrong" | "replay" } {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: "wrong" };
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(base32), digits: DIGITS, period: PERIOD, timestamp: now, window: 1 });
  if (delta === null) return { ok: false, reason: "wrong" };
  const step = totpStep(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: "replay" };
  return { ok: true, step };
}
