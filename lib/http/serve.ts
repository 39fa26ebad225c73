// Serves a fetch-style handler (Request -> Response) on 127.0.0.1 with node:http: the doctor serves the Twilio emulator
// with it when the app is not running, and tests and benchmarks talk to emulators over real HTTP through it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FetchHandler = (request: Request) => Promise<Response> | Response;

export async function serve(handler: FetchHandler, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
        else if (value !== undefined) headers.set(name, value);
      }
      const url = `http://${req.headers.host}${req.url}`;
      const hasBody = body && req.method !== "GET" && req.method !== "HEAD";
      // The handler's request.signal aborts when the client goes away before the answer, as in Next's server.
      const gone = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) gone.abort();
      });
      const response = await handler(new Request(url, { method: req.method, headers, body: hasBody ? body : undefined, signal: gone.signal }));
      if (gone.signal.aborted) return;
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
