// Who is asking: a request that carries an API token is signed in by that token only, never by a session cookie it
// also carries (Bearer requests skip the CSRF origin check, decision 010).
import { beforeEach, describe, expect, it, vi } from "vitest";

const request = vi.hoisted(() => ({ headers: new Headers(), sessionMemberId: null as string | null }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
vi.mock("./index", () => ({ auth: async () => (request.sessionMemberId ? { user: { id: request.sessionMemberId }, sessionId: "s1" } : null) }));

const { getDb } = await import("@/db/client");
const { createMember } = await import("@/lib/accounts/members");
const { setDisabled } = await import("@/lib/console/queries/members");
const { currentMember } = await import("./session");

describe("currentMember", () => {
  beforeEach(() => {
    request.headers = new Headers();
    request.sessionMemberId = null;
  });

  // Auth.js (mocked here) decides whether the cookie names a live session (lib/auth/sessions.test.ts); this is what
  // currentMember adds on top of it.
  it("is the member Auth.js finds for the session cookie, and nobody once an operator disables the account", async () => {
    const member = await createMember(getDb(), { email: `cookie-${Date.now()}@example.com`, password: "a long enough passphrase 1" });
    request.sessionMemberId = member.id;
    expect((await currentMember())?.id).toBe(member.id);
    setDisabled(getDb(), member.id, new Date());
    expect(await currentMember()).toBeNull();
  });

  it("is nobody for a request with a Bearer token, whatever session cookie comes with it", async () => {
    const member = await createMember(getDb(), { email: `bearer-${Date.now()}@example.com`, password: "a long enough passphrase 1" });
    request.sessionMemberId = member.id;
    request.headers = new Headers({ authorization: "Bearer se_anything", cookie: "authjs.session-token=x" });
    expect(await currentMember()).toBeNull();
  });
});
