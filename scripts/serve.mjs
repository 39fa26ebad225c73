// Serves the production build like `next start`, but appends the TCP peer's address to X-Forwarded-For as a proxy
// would, so the app can tell the real client address from one a client wrote into the header itself.
import http from "node:http";
import path from "node:path";

/**
 * X-Forwarded-For with the socket peer appended. Next fills the header from the socket only when it is absent, so a
 * client talking to the server directly could otherwise choose the address the per-IP limits count.
 * @param {string | string[] | undefined} forwardedFor
 * @param {string | undefined} peer
 * @returns {string | undefined}
 */
export function appendPeer(forwardedFor, peer) {
  const address = peer?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const before = (Array.isArray(forwardedFor) ? forwardedFor.join(", ") : (forwardedFor ?? "")).trim();
  if (!address) return before || undefined;
  return before ? `${before}, ${address}` : address;
}

/**
 * Wraps Next's request handler: X-Forwarded-For gets the socket peer appended before Next sees the request.
 * @param {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => unknown} handle
 */
export function withPeerAddress(handle) {
  /** @type {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void} */
  return (req, res) => {
    const xff = appendPeer(req.headers["x-forwarded-for"], req.socket.remoteAddress);
    if (xff) req.headers["x-forwarded-for"] = xff;
    void handle(req, res);
  };
}

async function main() {
  process.env.NODE_ENV = "production";
  const port = Number(process.env.PORT || 3000);
  // npm start always passes HOST (lib/env.ts decides it); run by hand, this machine only is the safe default.
  const hostname = process.env.HOST || "127.0.0.1";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: path.resolve("."), hostname, port });
  // Listen first, as `next start` does, so a busy port stops us before the app (and its outbox dispatcher) starts.
  /** @type {(value: ReturnType<typeof app.getRequestHandler>) => void} */
  let setReady = () => {};
  const ready = new Promise((resolve) => (setReady = resolve));
  const server = http.createServer(withPeerAddress(async (req, res) => (await ready)(req, res)));
  server.on("error", (error) => {
    const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === "EADDRINUSE";
    console.error(inUse ? `Port ${port} on ${hostname} is already in use: stop the other server or set PORT to a free port.` : `Cannot serve on ${hostname}:${port}: ${error.message}`);
    process.exit(1);
  });
  await new Promise((resolve) => server.listen(port, hostname, () => resolve(undefined)));
  process.env.__NEXT_PRIVATE_ORIGIN ??= `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  await app.prepare();
  setReady(app.getRequestHandler());
  console.log(`▲ Ready on http://${hostname}:${port}`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
