// Reads a request body up to a byte limit, so an unauthenticated caller cannot make the server buffer a huge body.

/** No JSON API or webhook of ours needs more; a larger body is refused before it is buffered. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The body was larger than the route accepts (the api() wrapper answers 413 payload_too_large). */
export class PayloadTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is too large (at most ${Math.round(maxBytes / 1024)} KiB).`);
    this.name = "PayloadTooLarge";
  }
}

/** The body as UTF-8 text; throws PayloadTooLarge as soon as it is known to exceed `maxBytes` (declared or sent). */
export async function readTextLimited(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
