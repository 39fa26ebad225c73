import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { verificationSessions, type Member } from "@/db/schema";
import { createMember } from "@/lib/accounts/members";
import { resetEnvForTests } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import type { SessionResult } from "@/lib/yoti/schemas";

// The browser's return from Yoti, for a signed-in member, with Yoti played by a counter.
const state = vi.hoisted(() => ({ member: null as Member | null, resultCalls: 0, result: null as SessionResult | null }));
vi.mock("@/lib/auth/session", () => ({ currentMember: async () => state.member }));
vi.mock("@/lib/yoti/runtime", () => ({
  getYotiClient: () => ({
    getResult: async () => {
      state.resultCalls++;
      return state.result;
    },
  }),
}));

const saved = { ...process.env };
beforeAll(() => {
  process.env.DATA_DIR = tempDir();
  resetEnvForTests();
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("GET /api/accounts/profile/yoti/callback (the browser's return)", () => {
  it("asks Yoti at most as often as the result route allows, then answers from what we know", async () => {
    const { GET } = await import("./route");
    const db = getDb();
    state.member = await createMember(db, { email: `back-${Date.now()}@example.com`, password: "a long passphrase here" });
    const sessionId = "1f0c3a52-0d6e-4b8e-9b1e-6c2b7f3c9a10";
    const sdkId = "5d3add31-3a3a-4d3b-a6b4-347edb35264c";
    db.insert(verificationSessions)
      .values({
        id: sessionId,
        memberId: state.member.id,
        referenceId: "ref-back",
        status: "PENDING",
        request: { type: "OVER", sdkId, ageThreshold: 18, thresholds: { DIGITAL_ID: 18 } },
        history: [],
        expiresAt: new Date(Date.now() + 600_000),
      })
      .run();
    state.result = { id: sessionId, sdk_id: sdkId, reference_id: "ref-back", type: "OVER", status: "IN_PROGRESS" };

    for (let i = 0; i < 70; i++) {
      const response = await GET(new Request(`http://127.0.0.1:3000/api/accounts/profile/yoti/callback?sessionId=${sessionId}`), undefined);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Yoti is still working on your check.");
    }
    expect(state.resultCalls).toBe(60);
  });
});

describe("POST /api/accounts/profile/yoti/callback (Yoti's notification)", () => {
  it("refuses an oversized body with 413 without reading all of it", async () => {
    const { POST } = await import("./route");
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://127.0.0.1:3000/api/accounts/profile/yoti/callback", { method: "POST", body: endless, duplex: "half" } as RequestInit);
    const response = await POST(request, undefined);
    expect(response.status).toBe(413);
    // The same code as every JSON API gives an oversized body.
    expect((await response.json()).error.code).toBe("payload_too_large");
    expect(pulled).toBeLessThan(1024 * 1024);

    const declared = new Request("http://127.0.0.1:3000/api/accounts/profile/yoti/callback", {
      method: "POST",
      headers: { "content-length": String(10 * 1024 * 1024) },
      body: "{}",
    });
    expect((await POST(declared, undefined)).status).toBe(413);
  });

  it("still reads a normal notification (and refuses a forged one with 401)", async () => {
    const { POST } = await import("./route");
    const body = JSON.stringify({ id: "n-1", session_key: "s-1", state: "COMPLETE", timestamp: Math.floor(Date.now() / 1000), signature: "bm90IGEgc2lnbmF0dXJl" });
    const response = await POST(new Request("http://127.0.0.1:3000/api/accounts/profile/yoti/callback", { method: "POST", body }), undefined);
    expect(response.status).toBe(401);
    expect((await response.json()).error).toEqual({ code: "bad_signature", message: "The notification signature does not match Yoti's public key." });
  });
});
