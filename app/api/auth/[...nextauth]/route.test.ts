// Auth.js's own credentials endpoint, called as a browser or script would: the same sign-in limits as the form (JSON
// 429 + Retry-After), IPv6 clients counted per /64, the hashing cap, and Secure cookies whenever APP_URL is https.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createMember } from "@/lib/accounts/members";
import { inHashSlot } from "@/lib/accounts/password";
import { tempDir } from "@/lib/testing/db";
import { withTestEnv } from "@/lib/testing/env";

let GET: (r: NextRequest) => Promise<Response>;
let POST: (r: NextRequest) => Promise<Response>;
const PASSWORD = "correct horse battery";

withTestEnv(() => ({
  DATA_DIR: tempDir(),
  APP_URL: "https://members.example.com",
  SANDBOX: "1",
  TRUSTED_PROXIES: "127.0.0.1",
  SIGN_IN_FAILURES_PER_ACCOUNT: "2",
  SIGN_IN_FAILURES_PER_IP: "3",
  PASSWORD_HASH_CONCURRENCY: "1",
}));
beforeAll(async () => {
  ({ GET, POST } = (await import("./route")) as never);
});

const cookiesOf = (res: Response) => res.headers.getSetCookie();

/** What a browser behind our proxy sends: plain http inside, the client in X-Forwarded-For. */
async function signIn(email: string, password: string, client: string): Promise<Response> {
  const headers = { "x-forwarded-for": `${client}, 127.0.0.1`, "x-forwarded-proto": "http" };
  const csrf = await GET(new NextRequest("http://127.0.0.1:3000/api/auth/csrf", { headers }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = cookiesOf(csrf)
    .map((c) => c.split(";")[0])
    .join("; ");
  return POST(
    new NextRequest("http://127.0.0.1:3000/api/auth/callback/credentials", {
      method: "POST",
      headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken }),
    }),
  );
}

const account = async () => (await createMember(getDb(), { email: `kim-${Math.random().toString(36).slice(2, 8)}@example.com`, password: PASSWORD })).email;

describe("POST /api/auth/callback/credentials", () => {
  it("signs in with Secure session and device cookies because APP_URL is https, though the proxy forwarded http", async () => {
    const res = await signIn(await account(), PASSWORD, "203.0.113.10");
    expect(res.status).toBe(302);
    const session = cookiesOf(res).find((c) => c.includes("session-token="));
    expect(session).toMatch(/^__Secure-authjs\.session-token=.*; Secure/i);
    expect(cookiesOf(res).find((c) => c.startsWith("__Host-se_device="))).toMatch(/HttpOnly; SameSite=Lax; Secure$/);
  });

  it("answers 429 with Retry-After once a stranger used up the account's allowance, even for the right password", async () => {
    const email = await account();
    for (const client of ["198.51.100.1", "198.51.100.2"]) expect((await signIn(email, "wrong password", client)).status).toBe(302);
    const res = await signIn(email, PASSWORD, "198.51.100.3");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(await res.json()).toEqual({ error: { code: "rate_limited", message: expect.stringContaining("Too many wrong passwords for this account") } });
    expect(cookiesOf(res).some((c) => c.includes("session-token="))).toBe(false);
  });

  it("counts an IPv6 client by its /64: changing the last 64 bits does not buy more guesses", async () => {
    for (let i = 1; i <= 3; i++) await signIn(`nobody-${i}@example.com`, "wrong password", `2001:db8:7:7::${i}`);
    const email = await account();
    expect((await signIn(email, PASSWORD, "2001:db8:7:7:ffff::4")).status).toBe(429);
    expect((await signIn(email, PASSWORD, "2001:db8:7:8::1")).status).toBe(302);
  });

  it("answers 429 with Retry-After: 1 while every password-hashing slot is busy, and hashes nothing more", async () => {
    const email = await account();
    // Another request holds the only slot until we let it go (a real hash could finish before the sign-in arrives).
    let release = () => {};
    const holding = inHashSlot(() => new Promise<void>((resolve) => (release = resolve)));
    const res = await signIn(email, PASSWORD, "203.0.113.20");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await res.json()).error.code).toBe("busy");
    release();
    await holding;
    expect((await signIn(email, PASSWORD, "203.0.113.20")).status).toBe(302);
  });
});
