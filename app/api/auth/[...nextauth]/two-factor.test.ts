// Auth.js's own credentials endpoint with two-factor on: a right password alone never issues a session (401
// two_factor_required and the challenge cookie); the second POST with a code does, once; wrong codes say how many tries
// are left and end the sign-in after the last; a replayed authenticator code and a used recovery code are refused.
import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notifications } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { challengeCookieName } from "@/lib/auth/second-step";
import { getEnv } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { withTestEnv } from "@/lib/testing/env";
import { beginTotpSetup, confirmTotpSetup, forgetBrowsers } from "@/lib/two-factor/factors";
import { totpCode } from "@/lib/two-factor/totp";

let GET: (r: NextRequest) => Promise<Response>;
let POST: (r: NextRequest) => Promise<Response>;
const PASSWORD = "correct horse battery";

withTestEnv(() => ({ DATA_DIR: tempDir(), APP_URL: "http://localhost:3000", TRUSTED_PROXIES: "127.0.0.1", TWO_FACTOR_TRIES: "3" }));
beforeAll(async () => {
  ({ GET, POST } = (await import("./route")) as never);
});

const setCookies = (res: Response) => res.headers.getSetCookie();
const pairs = (cookies: string[]) => cookies.map((c) => c.split(";")[0]!).filter((c) => !c.endsWith("="));

/** A script's cookie jar against the endpoint: CSRF token first, then each POST with the cookies set so far. */
function browser(address: string) {
  let jar: string[] = [];
  const headers = () => ({ "x-forwarded-for": `${address}, 127.0.0.1`, cookie: jar.join("; ") });
  const keep = (res: Response) => {
    for (const c of pairs(setCookies(res))) jar = [...jar.filter((j) => j.split("=")[0] !== c.split("=")[0]), c];
    for (const cleared of setCookies(res).filter((c) => /^[^=]+=;/.test(c))) jar = jar.filter((j) => j.split("=")[0] !== cleared.split("=")[0]);
    return res;
  };
  return {
    post: async (fields: Record<string, string>) => {
      const csrf = keep(await GET(new NextRequest("http://localhost:3000/api/auth/csrf", { headers: headers() })));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      return keep(
        await POST(
          new NextRequest("http://localhost:3000/api/auth/callback/credentials", {
            method: "POST",
            headers: { ...headers(), "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ ...fields, csrfToken }),
          }),
        ),
      );
    },
    jar: () => jar,
  };
}

async function memberWithTwoFactor() {
  const db = getDb();
  const member = await createMember(db, { email: `tf-${Math.random().toString(36).slice(2, 8)}@example.com`, password: PASSWORD });
  const setup = beginTotpSetup(db, getEnv(), member);
  // Set up with the previous 30-second step's code, so the sign-ins below can use the current one.
  const enabled = confirmTotpSetup(db, { ...getEnv() }, member.id, totpCode(setup.secret, Date.now() - 30_000));
  if (!enabled.ok) throw new Error(enabled.message);
  return { member, secret: setup.secret, recovery: enabled.recoveryCodes };
}

const sessionCookie = (res: Response) => setCookies(res).find((c) => c.startsWith("authjs.session-token="));

describe("two-factor at POST /api/auth/callback/credentials", () => {
  it("a right password alone gets 401 two_factor_required and a challenge cookie, never a session", async () => {
    const { member } = await memberWithTwoFactor();
    const res = await browser("203.0.113.40").post({ email: member.email, password: PASSWORD });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "two_factor_required", message: expect.stringContaining("two-factor") } });
    expect(sessionCookie(res)).toBeUndefined();
    expect(setCookies(res).find((c) => c.startsWith("se_2fa="))).toMatch(/HttpOnly; SameSite=Lax$/);
  });

  it("the authenticator code then issues the session; the same code cannot be used again", async () => {
    const { member, secret } = await memberWithTwoFactor();
    const b = browser("203.0.113.41");
    await b.post({ email: member.email, password: PASSWORD });
    const code = totpCode(secret);
    const ok = await b.post({ method: "totp", code });
    expect(ok.status).toBe(302);
    expect(sessionCookie(ok)).toBeDefined();
    expect(b.jar().some((c) => c.startsWith("se_2fa="))).toBe(false);
    const other = browser("203.0.113.42");
    await other.post({ email: member.email, password: PASSWORD });
    const replay = await other.post({ method: "totp", code });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: "wrong_code", message: expect.stringContaining("already used") } });
  });

  it("wrong codes say how many tries are left, and the last one ends the sign-in", async () => {
    const { member, secret } = await memberWithTwoFactor();
    const b = browser("203.0.113.43");
    await b.post({ email: member.email, password: PASSWORD });
    const wrong = totpCode(secret) === "000000" ? "111111" : "000000";
    const first = await b.post({ method: "totp", code: wrong });
    expect(await first.json()).toMatchObject({ error: { code: "wrong_code", message: expect.stringContaining("2 tries left") } });
    await b.post({ method: "totp", code: wrong });
    const last = await b.post({ method: "totp", code: wrong });
    expect(await last.json()).toMatchObject({ error: { code: "two_factor_expired", message: expect.stringContaining("sign in with your password again") } });
    const late = await b.post({ method: "totp", code: totpCode(secret) });
    expect(late.status).toBe(401);
    expect(sessionCookie(late)).toBeUndefined();
  });

  it("a recovery code works once and raises the 'recovery code used' alert", async () => {
    const { member, recovery } = await memberWithTwoFactor();
    const b = browser("203.0.113.44");
    await b.post({ email: member.email, password: PASSWORD });
    const ok = await b.post({ method: "recovery", code: recovery[0]!.toLowerCase() });
    expect(sessionCookie(ok)).toBeDefined();
    const texts = getDb().select().from(notifications).all().filter((n) => n.memberId === member.id).map((n) => n.text);
    expect(texts).toContain("A recovery code was used to sign in. 9 codes are left.");
    const again = browser("203.0.113.45");
    await again.post({ email: member.email, password: PASSWORD });
    expect(await (await again.post({ method: "recovery", code: recovery[0]! })).json()).toMatchObject({ error: { code: "wrong_code" } });
  });

  it("a second-step POST without the challenge cookie (or with a forged one) issues nothing", async () => {
    const { secret } = await memberWithTwoFactor();
    const res = await browser("203.0.113.46").post({ method: "totp", code: totpCode(secret) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "two_factor_expired" } });
    expect(sessionCookie(res)).toBeUndefined();
    // A challenge token made up by the caller (the right shape, but no challenge of ours has its hash).
    const forger = browser("203.0.113.49");
    forger.jar().push(`${challengeCookieName(false)}=${randomBytes(32).toString("base64url")}`);
    const forged = await forger.post({ method: "totp", code: totpCode(secret) });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: "two_factor_expired" } });
    expect(sessionCookie(forged)).toBeUndefined();
    // Another member's real challenge does not carry this code either: the challenge names its member.
    const other = await memberWithTwoFactor();
    const thief = browser("203.0.113.50");
    expect((await thief.post({ email: other.member.email, password: PASSWORD })).status).toBe(401);
    const crossed = await thief.post({ method: "totp", code: totpCode(secret) });
    expect(crossed.status).toBe(401);
    expect(await crossed.json()).toMatchObject({ error: { code: "wrong_code" } });
    expect(sessionCookie(crossed)).toBeUndefined();
  });

  it("a remembered browser skips the second step until it is forgotten", async () => {
    const { member, secret } = await memberWithTwoFactor();
    const b = browser("203.0.113.47");
    await b.post({ email: member.email, password: PASSWORD });
    expect(sessionCookie(await b.post({ method: "totp", code: totpCode(secret), remember: "1" }))).toBeDefined();
    expect(sessionCookie(await b.post({ email: member.email, password: PASSWORD }))).toBeDefined();
    const stranger = await browser("203.0.113.48").post({ email: member.email, password: PASSWORD });
    expect(stranger.status).toBe(401);
    // Forgotten (from the profile's list of remembered browsers): the password alone no longer signs in from it.
    expect(forgetBrowsers(getDb(), member.id, null)).toBe(1);
    const forgotten = await b.post({ email: member.email, password: PASSWORD });
    expect(forgotten.status).toBe(401);
    expect(await forgotten.json()).toMatchObject({ error: { code: "two_factor_required" } });
    expect(sessionCookie(forgotten)).toBeUndefined();
  });
});
