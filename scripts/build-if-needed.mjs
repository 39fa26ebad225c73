// Builds a Next app when its sources changed since its last build. Plain JavaScript, so `npm start` needs no loader.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** What `next build` reads for this app (tests excluded: they never reach the build). */
export const APP_INPUTS = ["app", "lib", "db", "public", "next.config.ts", "tsconfig.json", "package-lock.json", "instrumentation.ts", "proxy.ts"];

/**
 * The input files, sorted, each with its size and modification time.
 * @param {string} dir
 * @param {readonly string[]} inputs
 */
function inputFiles(dir, inputs) {
  /** @type {{ rel: string, abs: string, stat: fs.Stats }[]} */
  const files = [];
  /** @param {string} p */
  const walk = (p) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return;
      throw error;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (!name.endsWith(".test.ts")) walk(path.join(p, name));
    } else {
      files.push({ rel: path.relative(dir, p), abs: p, stat });
    }
  };
  for (const input of inputs) walk(path.join(dir, input));
  return files;
}

/**
 * Two digests of the sources: of names, sizes and modification times (a few milliseconds: no file is read), and of
 * names and contents (read only when the first changed, so a checkout or a touch that changes nothing costs no build).
 * @param {string} dir
 * @param {readonly string[]} inputs
 */
export function sourceDigests(dir, inputs) {
  const files = inputFiles(dir, inputs);
  const stats = createHash("sha256");
  for (const f of files) stats.update(`${f.rel}\0${f.stat.size}\0${f.stat.mtimeMs}\0`);
  return {
    stats: stats.digest("hex"),
    contents: () => {
      const hash = createHash("sha256");
      for (const f of files) hash.update(f.rel).update("\0").update(fs.readFileSync(f.abs)).update("\0");
      return hash.digest("hex");
    },
  };
}

/**
 * Runs `next build` in `dir` unless `distDir` holds a build of exactly these sources; exits the process when the
 * build fails (its output has said why). `beforeBuild` runs first, only when a build is due.
 * @param {{ dir?: string, inputs?: readonly string[], distDir?: string, beforeBuild?: () => void }} [options]
 * @returns {boolean} whether it built
 */
export function buildIfNeeded({ dir = process.cwd(), inputs = APP_INPUTS, distDir = process.env.NEXT_DIST_DIR || ".next", beforeBuild } = {}) {
  const dist = path.resolve(dir, distDir);
  const stampFile = path.join(dist, ".source-stamp.json");
  const digests = sourceDigests(dir, inputs);
  /** @type {{ stats?: string, contents?: string }} */
  let stamp = {};
  try {
    if (fs.existsSync(path.join(dist, "BUILD_ID"))) stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    // No stamp, or a torn one: build.
  }
  if (stamp.stats === digests.stats) return false;
  const contents = digests.contents();
  if (stamp.contents === contents) {
    fs.writeFileSync(stampFile, JSON.stringify({ stats: digests.stats, contents }));
    return false;
  }
  beforeBuild?.();
  console.log(`Building ${path.relative(process.cwd(), dir) || "the app"} (first start or sources changed)…`);
  const next = createRequire(path.join(dir, "package.json")).resolve("next/dist/bin/next");
  const result = spawnSync(process.execPath, [next, "build"], {
    cwd: dir,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(stampFile, JSON.stringify({ stats: digests.stats, contents }));
  return true;
}
