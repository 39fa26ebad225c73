import type { NextConfig } from "next";
import { EVERY_ANSWER_HEADERS } from "./lib/http/security-headers";

const config: NextConfig = {
  // Separate build folders let several checkouts or test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The seed's clients call /api/.../ with a trailing slash: both forms must answer, without a redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pino", "twilio"],
  poweredByHeader: false,
  // `npm test` has just run `tsc --noEmit` over the whole project when it builds for its browser stories: checking the
  // types again would add half a minute to its build. Every other build (`npm start`, `npm run build`) checks them.
  typescript: { ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === "1" },
  experimental: {
    // Next loads every page and route of the build as the server starts; with some sixty of them that is about 25 MB
    // of resident memory, most of it console pages an operator opens a few times a day. Each loads on its first
    // request instead (tens of milliseconds, once per process). Decision 031.
    preloadEntriesOnStart: false,
  },
  reactStrictMode: true,
  async headers() {
    return [
      {
        // Everything but the API, whose answers get the same headers from api() (lib/http/api.ts). A pattern that
        // captures the path ("/:path*") is split and decoded by Next on every request, a few per cent of an API
        // request's cost; this look-ahead fails at once for /api/ addresses and captures nothing there (decision 067).
        source: "/((?!api/).*)",
        headers: Object.entries(EVERY_ANSWER_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default config;
