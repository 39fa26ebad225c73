// Playwright's web server: a fresh sandbox data folder, a production build, and scripts/serve.mjs (`next start` + peer address) on 127.0.0.1 only.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { exitOnConfigError, prepare } from "./prepare";
import { buildIfNeeded } from "./start";

const dataDir = path.resolve(process.env.DATA_DIR || ".e2e-data");
fs.rmSync(dataDir, { recursive: true, force: true });

const env = await prepare().catch(exitOnConfigError);
buildIfNeeded();
const server = spawn(process.execPath, [path.join("scripts", "serve.mjs")], {
  stdio: "inherit",
  env: { ...process.env, PORT: String(env.port), HOST: "127.0.0.1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
