// RFC 8058 one-click unsubscribe, as a mail provider calls it: a form POST with no cookie and no Origin.
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { isEmailSuppressed } from "@/lib/email/unsubscribe";
import { tempDir } from "@/lib/testing/db";
import { withTestEnv } from "@/lib/testing/env";
import { makeMember, queueSignal, TEST_ENV } from "@/lib/testing/messaging";
import { GET, POST } from "./route";

withTestEnv(() => ({ DATA_DIR: tempDir() }));

const url = (token: string) => `http://127.0.0.1:3000/api/email/unsubscribe/${token}`;
const ctx = (token: string) => ({ params: Promise.resolve({ token }) });

describe("/api/email/unsubscribe/{token}", () => {
  it("a one-click POST puts the address on the suppression list; a browser's GET goes to the page that asks first", async () => {
    const db = getDb();
    queueSignal(db, makeMember(db), { channel: "Email", to: "one-click@example.com" }, TEST_ENV);
    const body = db.$client.prepare("select body from outbox where recipient = ?").get("one-click@example.com") as { body: string };
    const token = /\/unsubscribe\/([A-Za-z0-9_-]{22})/.exec(body.body)![1]!;

    const get = await GET(new Request(url(token)), ctx(token));
    expect(get.status).toBe(303);
    expect(get.headers.get("location")).toBe(`http://127.0.0.1:3000/unsubscribe/${token}`);
    expect(isEmailSuppressed(db, "one-click@example.com")).toBe(false);

    const post = () =>
      POST(new Request(url(token), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }), ctx(token));
    expect((await post()).status).toBe(200);
    expect(isEmailSuppressed(db, "one-click@example.com")).toBe(true);
    expect((await post()).status).toBe(200);
  });

  it("answers 404 in JSON for a token it never issued, and suppresses nothing", async () => {
    const res = await POST(new Request(url("A".repeat(22)), { method: "POST", body: "List-Unsubscribe=One-Click" }), ctx("A".repeat(22)));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  });
});
