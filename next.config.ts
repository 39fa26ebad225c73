import type { NextConfig } from "next";

const config: NextConfig = {
  // Separate build folders let several checkouts or test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The seed's clients call /api/.../ with a trailing slash: both forms must answer, without a redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pino", "twilio"],
  poweredByHeader: false,
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
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // For browsers without CSP frame-ancestors (every page's CSP also says 'none').
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default config;
