// Where the bearer token comes from: a static API key, or Yoti Central Auth (a PS384 JWT exchanged for a cached token).
import "server-only";
import { constants, randomUUID, sign } from "node:crypto";
import { z } from "zod";
import { errorFromFetch, EXPLAIN, YotiError } from "./errors";

export type TokenSource = {
  kind: "api_key" | "central_auth";
  token: () => Promise<string>;
  invalidate: () => void;
  /** Yoti refused the token (403): move to the next configured key if there is one; true when a retry is worth it. */
  refused?: (status: number) => boolean;
  /** Yoti accepted the token (for the console's "which key is in use"). */
  accepted?: () => void;
};

/** A key by the variable that holds it (YOTI_API_KEY, YOTI_PRIVATE_KEY_SECONDARY...), for the operator's words. */
export type NamedTokenSource = { name: string; source: TokenSource };

/** Told when a key is accepted or refused (the app records it for the console; see lib/credentials/usage.ts). */
export type KeyObserver = (name: string, outcome: "ok" | "refused", refusal?: string) => void;

/**
 * The configured keys in order (the primary, then a second one for a rotation's overlap): the first is used until
 * Yoti refuses it, then the next, for the rest of the process's life. So an operator can revoke the old key at Yoti
 * once the new one is deployed beside it, without an outage, and the console shows which one is in use.
 */
export function rotatingTokenSource(keys: NamedTokenSource[], observe: KeyObserver = () => {}): TokenSource {
  if (!keys.length) throw new Error("rotatingTokenSource needs at least one key");
  let at = 0;
  const current = () => keys[at]!;
  const next = (refusal: string): boolean => {
    observe(current().name, "refused", refusal);
    if (at >= keys.length - 1) return false;
    at++;
    return true;
  };
  return {
    get kind() {
      return current().source.kind;
    },
    token: async () => {
      for (;;) {
        try {
          return await current().source.token();
        } catch (error) {
          // Central Auth refused the key's assertion: the key itself is no longer accepted.
          if (error instanceof YotiError && error.kind === "auth" && next(error.message)) continue;
          throw error;
        }
      }
    },
    invalidate: () => current().source.invalidate(),
    refused: (status) => next(`Yoti answered ${status} to ${current().name}`),
    accepted: () => observe(current().name, "ok"),
  };
}

export function staticTokenSource(apiKey: string): TokenSource {
  return { kind: "api_key", token: async () => apiKey, invalidate: () => {} };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The client assertion Yoti's Central Auth expects: PS384 only, iss = sub = "sdk:<id>", aud = the token URL exactly. */
export function centralAuthAssertion(opts: { sdkId: string; privateKeyPem: string; authUrl: string; nowSeconds: number; lifetimeSeconds?: number }): string {
  const header = { alg: "PS384", typ: "JWT" };
  const claims = {
    iss: `sdk:${opts.sdkId}`,
    sub: `sdk:${opts.sdkId}`,
    aud: opts.authUrl,
    jti: randomUUID(),
    iat: opts.nowSeconds,
    exp: opts.nowSeconds + (opts.lifetimeSeconds ?? 300),
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha384", Buffer.from(input), {
    key: opts.privateKeyPem,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 48,
  });
  return `${input}.${b64url(signature)}`;
}

const tokenResponse = z.looseObject({ access_token: z.string().min(1), expires_in: z.coerce.number().positive().default(1800) });

export type CentralAuthOptions = {
  sdkId: string;
  privateKeyPem: string;
  authUrl: string;
  scope?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
};

/**
 * Central Auth token source. Yoti allows at most 200 live tokens per SDK ID, so the token is cached until a minute
 * before it expires and concurrent callers share one in-flight request.
 */
export function centralAuthTokenSource(opts: CentralAuthOptions): TokenSource {
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function exchange(): Promise<string> {
    const assertion = centralAuthAssertion({ sdkId: opts.sdkId, privateKeyPem: opts.privateKeyPem, authUrl: opts.authUrl, nowSeconds: Math.floor(now() / 1000) });
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
      scope: opts.scope ?? "avs:sessions:create",
    });
    let response: Response;
    try {
      response = await doFetch(opts.authUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw errorFromFetch(error, timeoutMs, "Yoti Central Auth");
    }
    if (response.status >= 500) throw new YotiError("unavailable", `Yoti Central Auth answered ${response.status}; retry shortly`, true, response.status);
    if (!response.ok) throw new YotiError("auth", `${EXPLAIN.auth} (HTTP ${response.status})`, false, response.status);
    const parsed = tokenResponse.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new YotiError("invalid_response", "Yoti Central Auth answered without an access_token", true, response.status);
    cached = { token: parsed.data.access_token, refreshAt: now() + Math.max(0, parsed.data.expires_in - 60) * 1000 };
    return cached.token;
  }

  return {
    kind: "central_auth",
    token: () => {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= exchange().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate: () => {
      cached = undefined;
    },
  };
}
