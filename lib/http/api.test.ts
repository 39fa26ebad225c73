import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, MAX_JSON_BYTES, parseJson } from "./api";

const schema = z.object({ to: z.string().min(1, "Enter a recipient."), count: z.number().int() });
const post = (body: string) => new Request("http://127.0.0.1/api/x", { method: "POST", headers: { "content-type": "application/json" }, body });

describe("parseJson", () => {
  it("returns the parsed body when it matches the schema", async () => {
    expect(await parseJson(post('{"to":"sam","count":2}'), schema)).toEqual({ to: "sam", count: 2 });
  });

  it("answers 400 invalid_json for a body that is not JSON", async () => {
    await expect(parseJson(post("to=sam"), schema)).rejects.toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("answers 400 with a message per field when the body does not match", async () => {
    const error = (await parseJson(post('{"to":"","count":"x"}'), schema).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.fields).toMatchObject({ to: "Enter a recipient.", count: expect.any(String) });
    expect(error.message).toContain("to: Enter a recipient.");
  });

  it("refuses a body over the limit with 413 before parsing it", async () => {
    const huge = JSON.stringify({ to: "x".repeat(MAX_JSON_BYTES), count: 1 });
    await expect(parseJson(post(huge), schema)).rejects.toMatchObject({ status: 413, code: "payload_too_large" });
  });
});
