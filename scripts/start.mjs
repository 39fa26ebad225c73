// `npm start`: builds the app when its sources changed since the last build, then serves the production build in
// this same process (scripts/serve.mjs), so nothing but npm and the server stays running. The server checks the
// configuration, migrates and seeds as it starts (lib/startup.ts). Plain JavaScript: no TypeScript loader in memory.
import { spawnSync } from "node:child_process";
import { listenHost } from "../lib/provider-mode.mjs";
import { buildIfNeeded } from "./build-if-needed.mjs";
import { loadEnvFiles, portFrom, serve } from "./serve.mjs";

/** Before minutes of building: the same checks the server makes as it starts, in a short-lived TypeScript process. */
function checkBeforeBuilding() {
  const run = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare.ts"], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

export async function start() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  loadEnvFiles();
  buildIfNeeded({ beforeBuild: checkBeforeBuilding });
  await serve({ port: portFrom(process.env.PORT), hostname: listenHost(process.env) });
}

if (import.meta.url === `file://${process.argv[1]}`) await start();
