// The baseline the benchmarks measure the app against: a bare Next app of the same version with one route.
/** @type {import("next").NextConfig} */
const config = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
};

export default config;
