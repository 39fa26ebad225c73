// The random tokens our links and cookies carry (join links, unsubscribe links, session and device ids): 16 random
// bytes in base64url, always 22 characters. Pure (Web Crypto), so the compose form can size a join link too.

export const URL_TOKEN_LENGTH = 22;
const URL_TOKEN = /^[A-Za-z0-9_-]{22}$/;

export function newUrlToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Whether `value` has the shape of a token we issue (checked before any look-up). */
export function isUrlToken(value: string): boolean {
  return URL_TOKEN.test(value);
}
