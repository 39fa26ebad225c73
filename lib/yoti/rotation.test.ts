import { describe, expect, it } from "vitest";
import { createYotiClient } from "./client";
import { rotatingTokenSource, staticTokenSource, type TokenSource } from "./token";
import { YotiError } from "./errors";

/** A Yoti that accepts only `key`: 403 for any other bearer token (as it answers a revoked key). */
function yotiAccepting(key: string) {
  const calls: string[] = [];
  const fetchImpl: typeof fetch = async (_url, init) => {
    const auth = new Headers(init?.headers).get("authorization") ?? "";
    calls.push(auth.replace("Bearer ", ""));
    if (auth !== `Bearer ${key}`) return Response.json({ code: "FORBIDDEN", message: "forbidden" }, { status: 403 });
    return Response.json({ code: "NOT_FOUND", message: "no such session" }, { status: 404 });
  };
  return { calls, fetchImpl };
}

describe("the second Yoti key of a rotation", () => {
  it("is used when Yoti refuses the first (the same request once more), and stays in use; each key's fate is told", async () => {
    const yoti = yotiAccepting("new-key");
    const seen: string[] = [];
    const tokens = rotatingTokenSource(
      [
        { name: "YOTI_API_KEY", source: staticTokenSource("old-key") },
        { name: "YOTI_API_KEY_SECONDARY", source: staticTokenSource("new-key") },
      ],
      (name, outcome) => seen.push(`${name} ${outcome}`),
    );
    const client = createYotiClient({ apiUrl: "https://age.example", sdkId: "sdk", tokens, fetch: yoti.fetchImpl });
    await expect(client.getResult("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ kind: "not_found" });
    await expect(client.getResult("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ kind: "not_found" });
    expect(yoti.calls).toEqual(["old-key", "new-key", "new-key"]);
    expect(seen).toEqual(["YOTI_API_KEY refused", "YOTI_API_KEY_SECONDARY ok", "YOTI_API_KEY_SECONDARY ok"]);
  });

  it("with one key, a refusal is the error it always was (no retry)", async () => {
    const yoti = yotiAccepting("another");
    const client = createYotiClient({ apiUrl: "https://age.example", sdkId: "sdk", tokens: rotatingTokenSource([{ name: "YOTI_API_KEY", source: staticTokenSource("old-key") }]), fetch: yoti.fetchImpl });
    await expect(client.getResult("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ kind: "api_key", status: 403 });
    expect(yoti.calls).toEqual(["old-key"]);
  });

  it("moves on when Central Auth refuses the first key's assertion", async () => {
    const refusing: TokenSource = { kind: "central_auth", token: async () => Promise.reject(new YotiError("auth", "Central Auth refused the key", false, 400)), invalidate: () => {} };
    const tokens = rotatingTokenSource([
      { name: "YOTI_PRIVATE_KEY", source: refusing },
      { name: "YOTI_PRIVATE_KEY_SECONDARY", source: staticTokenSource("token-from-the-new-key") },
    ]);
    expect(await tokens.token()).toBe("token-from-the-new-key");
  });
});
