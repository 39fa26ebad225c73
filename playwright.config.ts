import { defineConfig, devices } from "@playwright/test";

// One host name everywhere (127.0.0.1), so Auth.js cookies and redirects stay on the host the browser uses.
const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A second server of the same build with Twilio Verify switched on (a sandbox TWILIO_VERIFY_SERVICE_SID), for the
// stories of codes sent through Verify; its data folder sits beside the first one's.
const verifyPort = Number(process.env.E2E_VERIFY_PORT || port + 1);
const verifyBaseURL = `http://127.0.0.1:${verifyPort}`;
const dataDir = process.env.E2E_DATA_DIR || ".e2e-data";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".test-reports/e2e.json" }]],
  use: {
    baseURL,
    // Recording a trace costs every test about an eighth of its time on 2 cores: only a retry records one.
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium in its headless-shell build (scripts/ensure-chromium.sh, decision 068).
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium-headless-shell",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  // Started one after the other: the first builds the app, the second reuses the build.
  webServer: [
    {
      command: "node scripts/e2e-server.mjs",
      url: `${baseURL}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(port),
        APP_URL: baseURL,
        DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        // Each test is its own visitor: e2e/fixtures.ts gives every test an address of its own in X-Forwarded-For,
        // believed only because it comes through 127.0.0.1, so the per-address limits apply per test as in real life.
        TRUSTED_PROXIES: "127.0.0.1",
        // Small enough that the sign-up limit's story needs only a few sign-ups.
        SIGN_UPS_PER_IP_PER_HOUR: "5",
        // Ireland allowed with a daily cap of one SMS, for the cap's story (the default country, GB, keeps the defaults).
        SMS_ALLOWED_COUNTRIES: "GB,IE",
        SMS_COUNTRY_DAILY_CAPS: "IE:1",
        // An auth token issued long ago, for the console's rotation warning (the sandbox's own token is any age).
        TWILIO_AUTH_TOKEN_ISSUED: "2020-01-01",
      },
    },
    {
      command: "node scripts/e2e-server.mjs",
      url: `${verifyBaseURL}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(verifyPort),
        APP_URL: verifyBaseURL,
        DATA_DIR: `${dataDir}-verify`,
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        TRUSTED_PROXIES: "127.0.0.1",
        // A made-up service id for the sandbox's Verify emulator (no Twilio credentials are set): an id, not a secret.
        TWILIO_VERIFY_SERVICE_SID: "VA00000000000000000000000000e2e0e2",
      },
    },
  ],
});
