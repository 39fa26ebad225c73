// `npm start`: migrate (and seed in sandbox mode), build when the sources changed since the last build, then serve.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { banner, exitOnConfigError, prepare } from "./prepare";

const ROOT = process.cwd();
const DIST = process.env.NEXT_DIST_DIR || ".next";
const INPUTS = ["app", "lib", "db", "public", "next.config.ts", "tsconfig.json", "package-lock.json", "instrumentation.ts", "proxy.ts"];
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.endsWith(".test.ts")) walk(path.join(p, name));
    } else {
      hash.update(path.relative(ROOT, p)).update("\0").update(fs.readFileSync(p)).update("\0");
    }
  };
  INPUTS.forEach((p) => walk(path.join(ROOT, p)));
  return hash.digest("hex");
}

export function buildIfNeeded(): void {
  const stamp = path.join(ROOT, DIST, ".source-hash");
  const current = sourceHash();
  const built = fs.existsSync(path.join(ROOT, DIST, "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === current;
  if (built) return;
  console.log("Building the app (first start or sources changed)…");
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stamp, current);
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const env = await prepare().catch(exitOnConfigError);
  buildIfNeeded();
  // scripts/serve.mjs is `next start` plus the socket peer in X-Forwarded-For (see lib/http/client-ip.ts).
  const server = spawn(process.execPath, [path.join(ROOT, "scripts", "serve.mjs")], {
    stdio: "inherit",
    env: { ...process.env, PORT: String(env.port), HOST: env.listen.host },
  });
  console.log(banner(env));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
