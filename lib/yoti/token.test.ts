import { constants, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { serve } from "@/lib/http/serve";
import { until } from "@/lib/testing/wait";
import { centralAuthAssertion, centralAuthTokenSource } from "./token";

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});
const SDK_ID = "0c1f5ab6-4d9e-4d1a-9b89-3c6a4c3f7e11";

const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

describe("Central Auth", () => {
  it("signs a PS384 JWT with the documented header and claims", () => {
    const jwt = centralAuthAssertion({ sdkId: SDK_ID, privateKeyPem: privateKey, authUrl: "https://auth.api.yoti.com/v1/oauth/token", nowSeconds: 1_700_000_000 });
    const [h, c, s] = jwt.split(".");
    expect(decode(h!)).toEqual({ alg: "PS384", typ: "JWT" });
    const claims = decode(c!);
    expect(claims).toMatchObject({ iss: `sdk:${SDK_ID}`, sub: `sdk:${SDK_ID}`, aud: "https://auth.api.yoti.com/v1/oauth/token", iat: 1_700_000_000 });
    expect(claims.exp - claims.iat).toBeGreaterThan(0);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(1800);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const ok = verify("sha384", Buffer.from(`${h}.${c}`), { key: createPublicKey(publicKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, Buffer.from(s!, "base64url"));
    expect(ok).toBe(true);
    const again = centralAuthAssertion({ sdkId: SDK_ID, privateKeyPem: privateKey, authUrl: "x", nowSeconds: 1 });
    expect(decode(again.split(".")[1]!).jti).not.toBe(claims.jti);
  });

  it("exchanges the JWT form-encoded, caches the token, shares one request in flight, and renews before expiry", async () => {
    const forms: URLSearchParams[] = [];
    // Central Auth holds its first answer until the test lets it go, so callers arrive while it is in flight.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const server = await serve(async (r) => {
      forms.push(new URLSearchParams(await r.text()));
      await held;
      return Response.json({ access_token: `token-${forms.length}`, token_type: "Bearer", expires_in: 1800, scope: "avs:sessions:create" });
    });
    closers.push(server.close);
    let clock = 1_700_000_000_000;
    const source = centralAuthTokenSource({ sdkId: SDK_ID, privateKeyPem: privateKey, authUrl: `${server.url}/v1/oauth/token`, now: () => clock });

    const first = [source.token(), source.token(), source.token()];
    await until(() => forms.length === 1);
    const later = source.token(); // asked while the request is still at Central Auth
    answer();
    expect(await Promise.all([...first, later])).toEqual(["token-1", "token-1", "token-1", "token-1"]);
    clock += 20 * 60 * 1000;
    expect(await source.token()).toBe("token-1");
    expect(forms).toHaveLength(1);
    const form = forms[0]!;
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(decode(form.get("client_assertion")!.split(".")[1]!).aud).toBe(`${server.url}/v1/oauth/token`);

    clock += 10 * 60 * 1000; // 30 minutes after issue: within the last minute of its life, so a new one is fetched
    expect(await source.token()).toBe("token-2");
    expect(forms).toHaveLength(2);
  });

  it("explains a refused private key without retrying blindly", async () => {
    const server = await serve(() => Response.json({ error: "invalid_client" }, { status: 401 }));
    closers.push(server.close);
    const source = centralAuthTokenSource({ sdkId: SDK_ID, privateKeyPem: privateKey, authUrl: `${server.url}/t` });
    await expect(source.token()).rejects.toMatchObject({ kind: "auth", retryable: false, message: expect.stringContaining("Central Auth refused") });
  });
});
