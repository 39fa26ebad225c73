// Serves the production build in this process like `next start`, but appends the TCP peer's address to
// X-Forwarded-For as a proxy would, so the app can tell the real client address from one a client wrote into the
// header itself. `npm start` (scripts/start.mjs) calls serve(); run by hand it serves on PORT and HOST.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { remember } from "@epic-web/remember";
import nextEnv from "@next/env";
import { DEFAULT_PORT, listenHost } from "../lib/provider-mode.mjs";

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

/** Reads the .env files as Next does, before PORT and HOST are needed (Next reads them again, to the same effect). */
export function loadEnvFiles() {
  nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
}

/**
 * The configuration the build was made with, as Next's own standalone server takes it, so next.config.ts is not
 * compiled again at every start (that loads Next's SWC compiler: 14 MB more memory, and time).
 * @param {string} dir
 */
function builtConfig(dir) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, distDir, "required-server-files.json"), "utf8")).config;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
    console.error(`There is no production build in ${distDir}: \`npm start\` builds it (or run \`npx next build\`).`);
    process.exit(1);
  }
}

/**
 * PORT as a port number, or the default; anything else stops the start with a plain sentence.
 * @param {string | undefined} text
 */
export function portFrom(text) {
  const port = text?.trim() ? Number(text) : DEFAULT_PORT;
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  console.error(`PORT must be a port number from 1 to 65535 (it is "${text}").`);
  process.exit(1);
}

/**
 * Keeps idle keep-alive connections open for 65 s (Node's default is 5 s). A client or a proxy in front (nginx, a
 * cloud load balancer: 60 s idle is common) reuses an idle connection it believes open; when the server closes it
 * first, the request sent at that moment fails (ECONNRESET, or a 502 from the proxy). The side that closes first must
 * be the client, so the server waits longer than the usual 60 s. Headers must arrive within a second more.
 * @param {import("node:http").Server} server
 */
export function keepIdleConnections(server) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}

/**
 * Listens on `hostname:port` first, as `next start` does, so a busy port stops us before the app (and its outbox
 * dispatcher) starts; then Next prepares the app (instrumentation.ts: configuration, database, background work) and
 * the requests that arrived meanwhile are answered.
 * @param {{ port: number, hostname: string }} address
 */
export async function serve({ port, hostname }) {
  process.env.NODE_ENV = "production";
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
  /** @type {(value: ReturnType<import("next/dist/server/next").NextServer["getRequestHandler"]>) => void} */
  let setReady = () => {};
  const ready = new Promise((resolve) => (setReady = resolve));
  const server = http.createServer(withPeerAddress(async (req, res) => (await ready)(req, res)));
  keepIdleConnections(server);
  server.on("error", (error) => {
    const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === "EADDRINUSE";
    console.error(inUse ? `Port ${port} on ${hostname} is already in use: stop the other server or set PORT to a free port.` : `Cannot serve on ${hostname}:${port}: ${error.message}`);
    process.exit(1);
  });
  await new Promise((resolve) => server.listen(port, hostname, () => resolve(undefined)));
  process.env.__NEXT_PRIVATE_ORIGIN ??= `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  // Tells the server's start (lib/startup.ts, SERVED_BY_LAUNCHER) that it listens where the configuration says.
  remember("startup.served-by-launcher", () => true);
  const dir = path.resolve(".");
  const conf = builtConfig(dir);
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname, port, conf });
  await app.prepare();
  setReady(app.getRequestHandler());
  console.log(`▲ Ready on http://${hostname}:${port}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadEnvFiles();
  void serve({ port: portFrom(process.env.PORT), hostname: listenHost(process.env) });
}
