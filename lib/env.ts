// Reads process.env once, validates it with zod, and decides the provider mode (sandbox or live), failing fast with
// one line per missing or malformed variable.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isAddressOrRange, isLocalHostname } from "./http/address";
import { DEFAULT_PORT, listenHost, providerMode } from "./provider-mode.mjs";
import { faultProblems, parseFaultText } from "./sandbox/faults";
import { loadSandboxSecrets } from "./sandbox/secrets";
import { twilioFaultsSchema } from "./twilio/emulator/faults";
import { E164, E164_EXAMPLE } from "./twilio/sms";
import { yotiFaultsSchema } from "./yoti/emulator/faults";

export type ProviderMode = "sandbox" | "live";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Blank values (common in copied .env files) count as unset; surrounding whitespace is never part of a secret. */
const opt = () =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v), z.string().optional());

const optMatching = (re: RegExp, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z.string().regex(re, what).optional(),
  );

const intIn = (min: number, max: number, dflt: number) =>
  z.preprocess((v) => (v === undefined || v === "" ? dflt : Number(v)), z.number().int().min(min).max(max));

/** A fault setting such as "error500=10%,latencyMs=200": kept as text, refused at start when the emulator would not take it. */
const faultsVariable = (faults: z.ZodType) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : ""),
    z.string().superRefine((text, ctx) => {
      const parsed = faults.safeParse(parseFaultText(text));
      if (!parsed.success) {
        for (const [field, message] of Object.entries(faultProblems(parsed.error))) ctx.addIssue({ code: "custom", message: `${field}: ${message}` });
      }
    }),
  );

/** The day a credential was issued, YYYY-MM-DD (UTC); blank means unknown. A date in the future is a typo. */
const issuedDate = () =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD, the day the credential was issued")
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "is not a real date (YYYY-MM-DD)")
      .refine((d) => Date.parse(`${d}T00:00:00Z`) <= Date.now() + 24 * 3600_000, "is in the future: give the day the credential was issued")
      .optional(),
  );

/** "1", "true" or "yes" (any case) is on; anything else, or blank, is off. */
const flag = () => z.preprocess((v) => typeof v === "string" && ["1", "true", "yes"].includes(v.trim().toLowerCase()), z.boolean());

/** Comma-separated COUNTRY:number pairs, e.g. "GB:1000,IE:50". */
const countryCaps = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim()) : []),
  z
    .array(z.string().regex(/^[A-Za-z]{2}:\d{1,7}$/, "must be comma-separated COUNTRY:number pairs, e.g. GB:1000,IE:50"))
    .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.slice(0, 2).toUpperCase(), Number(p.slice(3))]))),
);

const schema = z.object({
  PORT: intIn(1, 65535, DEFAULT_PORT),
  /** Interface to listen on; blank: 127.0.0.1 in sandbox mode (the emulators must not be reachable), all in live mode. */
  HOST: opt(),
  /** Sandbox mode on purpose at a non-local APP_URL (a shared demo): without it such a start is refused. */
  SANDBOX: flag(),
  APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://members.example.com" }).optional()),
  DATA_DIR: opt(),
  DATABASE_URL: opt(),
  AUTH_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)").optional()),
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),

  YOTI_SDK_ID: opt(),
  YOTI_API_KEY: opt(),
  YOTI_PRIVATE_KEY: opt(),
  YOTI_PRIVATE_KEY_PATH: opt(),
  YOTI_API_URL: opt(),
  YOTI_PORTAL_URL: opt(),
  YOTI_AUTH_URL: opt(),
  /** A second Yoti key for a rotation's overlap: used when Yoti refuses the first (lib/yoti/token.ts). */
  YOTI_API_KEY_SECONDARY: opt(),
  YOTI_PRIVATE_KEY_SECONDARY: opt(),
  YOTI_PRIVATE_KEY_SECONDARY_PATH: opt(),
  YOTI_NOTIFICATION_PUBLIC_KEY: opt(),
  YOTI_NOTIFICATION_PUBLIC_KEY_PATH: opt(),
  YOTI_AGE_THRESHOLD: intIn(1, 99, 18),
  YOTI_AGE_ESTIMATION_BUFFER: intIn(0, 20, 7),
  YOTI_METHODS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim().toUpperCase()) : ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"]),
    z.array(z.enum(["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"], "must list AGE_ESTIMATION, DIGITAL_ID and/or DOC_SCAN")).min(1),
  ),

  TWILIO_ACCOUNT_SID: optMatching(/^AC[0-9a-fA-F]{32}$/, "must be AC followed by 32 hex characters (Twilio Console > Account info)"),
  TWILIO_AUTH_TOKEN: opt(),
  /** Twilio's secondary auth token during a changeover: webhooks signed with it are accepted too (lib/twilio/webhook.ts). */
  TWILIO_AUTH_TOKEN_SECONDARY: opt(),
  TWILIO_API_KEY_SID: optMatching(/^SK[0-9a-fA-F]{32}$/, "must be SK followed by 32 hex characters"),
  TWILIO_API_KEY_SECRET: opt(),
  TWILIO_MESSAGING_SERVICE_SID: optMatching(/^MG[0-9a-fA-F]{32}$/, "must be MG followed by 32 hex characters"),
  TWILIO_PHONE_NUMBER: optMatching(E164, `must be an E.164 number such as ${E164_EXAMPLE}`),
  /** Codes by SMS go through Twilio Verify (live), or the emulator's Verify (sandbox), when set. */
  TWILIO_VERIFY_SERVICE_SID: optMatching(/^VA[0-9a-fA-F]{32}$/, "must be VA followed by 32 hex characters (Twilio Console > Verify > Services)"),
  TWILIO_MPS: intIn(1, 1000, 1),
  SMS_DEFAULT_COUNTRY: z.preprocess((v) => (v === "" || v === undefined ? "GB" : String(v).toUpperCase()), z.string().regex(/^[A-Z]{2}$/, "must be a two-letter country code such as GB")),
  /** Blank: the default country only. "all" (or "*") allows every country, which `npm run doctor` warns about. */
  SMS_ALLOWED_COUNTRIES: z.preprocess(
    (v) => {
      const text = typeof v === "string" ? v.trim() : "";
      if (text === "") return undefined;
      if (["all", "*"].includes(text.toLowerCase())) return "all";
      return text.split(",").map((s) => s.trim().toUpperCase());
    },
    z.union([z.literal("all"), z.array(z.string().regex(/^[A-Z]{2}$/, "must be a comma-separated list of two-letter country codes, or all"))]).optional(),
  ),
  /** Platform SMS per UTC day, all countries together (SMS pumping and budget guard). */
  SMS_DAILY_CAP: intIn(1, 10_000_000, 500),
  /** Platform SMS per UTC day to any one country other than SMS_DEFAULT_COUNTRY (which only the global cap bounds). */
  SMS_COUNTRY_DAILY_CAP: intIn(1, 10_000_000, 50),
  /** Per-country overrides of the daily cap, e.g. GB:1000,IE:100 (the default country included). */
  SMS_COUNTRY_DAILY_CAPS: countryCaps,

  SMOKE_SIGNALS_PER_MEMBER_PER_DAY: intIn(1, 100000, 20),
  SMOKE_SIGNALS_PER_RECIPIENT_PER_DAY: intIn(1, 1000, 3),
  SMOKE_SIGNALS_PER_IP_PER_DAY: intIn(1, 1000000, 100),
  /** Proxies allowed to name the client in X-Forwarded-For; unset or "none" trusts none (a client cannot pick its IP). */
  TRUSTED_PROXIES: z.preprocess(
    (v) => {
      const text = typeof v === "string" ? v.trim() : "";
      return text === "" || text.toLowerCase() === "none" ? [] : text.split(",").map((s) => s.trim().toLowerCase());
    },
    z.array(z.string().refine(isAddressOrRange, "must be a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.0/8 (or none)")),
  ),

  /** Wrong passwords per account per 15 minutes from clients that never signed in to it (see lib/auth/guard.ts). */
  SIGN_IN_FAILURES_PER_ACCOUNT: intIn(1, 10_000, 10),
  /** Wrong passwords per client address (IPv6: per /64) per 15 minutes, whatever the account. */
  SIGN_IN_FAILURES_PER_IP: intIn(1, 100_000, 50),
  /** Account creations per client address (IPv6: per /64) per hour. */
  SIGN_UPS_PER_IP_PER_HOUR: intIn(1, 100_000, 10),
  /** Password hashes (argon2id, ~19 MiB each) running at once; beyond it sign-in answers 429 with Retry-After. */
  PASSWORD_HASH_CONCURRENCY: intIn(1, 256, 8),

  /** When each credential was issued: doctor and console warn once one is older than 90 days (lib/credentials/age.ts). */
  TWILIO_AUTH_TOKEN_ISSUED: issuedDate(),
  TWILIO_AUTH_TOKEN_SECONDARY_ISSUED: issuedDate(),
  TWILIO_API_KEY_ISSUED: issuedDate(),
  YOTI_KEY_ISSUED: issuedDate(),
  YOTI_KEY_SECONDARY_ISSUED: issuedDate(),

  /** Days after which raw Yoti results and message bodies are purged (lib/privacy/retention.ts). */
  RETENTION_DAYS: intIn(1, 3650, 30),
  /** Account flows' emailed links (lib/account-links): lifetimes and how often each may be asked for. */
  EMAIL_LINK_HOURS: intIn(1, 24 * 14, 24),
  PASSWORD_RESET_MINUTES: intIn(5, 24 * 60, 30),
  PASSWORD_RESETS_PER_EMAIL_PER_HOUR: intIn(1, 1000, 3),
  PASSWORD_RESETS_PER_IP_PER_HOUR: intIn(1, 100_000, 20),
  EMAIL_VERIFICATIONS_PER_HOUR: intIn(1, 1000, 3),
  EMAIL_CHANGES_PER_DAY: intIn(1, 1000, 5),
  SIGN_UP_EMAILS_PER_EMAIL_PER_HOUR: intIn(1, 1000, 3),
  SIGN_UP_CONFIRM_TRIES: intIn(1, 100, 5),
  /** One-time codes by SMS (phone verification, two-factor sign-in, password reset): see lib/phone-codes. */
  PHONE_CODE_LENGTH: intIn(6, 10, 6),
  PHONE_CODE_MINUTES: intIn(2, 60, 10),
  PHONE_CODE_TRIES: intIn(1, 10, 5),
  PHONE_CODE_RESEND_SECONDS: intIn(0, 3600, 30),
  PHONE_CODES_PER_NUMBER_PER_HOUR: intIn(1, 1000, 5),
  PHONE_CODES_PER_ACCOUNT_PER_DAY: intIn(1, 10_000, 10),
  /** Two-factor sign-in (lib/two-factor): the second step's minutes and tries, wrong codes per day, remembered days. */
  TWO_FACTOR_SIGN_IN_MINUTES: intIn(1, 60, 10),
  TWO_FACTOR_TRIES: intIn(1, 20, 5),
  TWO_FACTOR_FAILURES_PER_DAY: intIn(1, 10_000, 20),
  TWO_FACTOR_REMEMBER_DAYS: intIn(0, 365, 30),
  RECOVERY_CODE_COUNT: intIn(5, 20, 10),
  /** Alert texts (account alerts by SMS) per member per rolling 24 hours; beyond it the alert is shown in the app instead. */
  ALERT_SMS_PER_MEMBER_PER_DAY: intIn(0, 1000, 10),

  SMTP_URL: optMatching(/^smtps?:\/\//, "must start with smtp:// or smtps://"),
  MAIL_FROM: opt(),

  /** Sandbox emulators only (ignored in live mode): faults on demand, the sender's queue limit, the concurrency limit. */
  SANDBOX_TWILIO_FAULTS: faultsVariable(twilioFaultsSchema),
  SANDBOX_YOTI_FAULTS: faultsVariable(yotiFaultsSchema),
  SANDBOX_TWILIO_MAX_QUEUE_SECONDS: intIn(1, 10 * 3600, 10 * 3600),
  SANDBOX_TWILIO_MAX_CONCURRENT_REQUESTS: intIn(1, 10_000, 100),
  /** The Twilio emulator the sandbox's Twilio client talks to; blank: this app's own, at /sandbox/twilio. */
  SANDBOX_TWILIO_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:4010" }).optional()),
});

type Raw = z.infer<typeof schema>;

/** Every variable this module reads (.env.example must list each one; a test checks it). */
export const ENV_VARIABLES = Object.keys(schema.shape);

export type Env = {
  mode: ProviderMode;
  port: number;
  /** Where the server listens; `exposed` is sandbox mode reachable from other machines (emulators, caught mail). */
  listen: { host: string; exposed: boolean };
  /** Public base URL (no trailing slash) used in links, webhook and callback URLs. */
  appUrl: string;
  /** APP_URL's origin (scheme, host, port): what a same-site request's Origin header says. */
  appOrigin: string;
  /** Where this process can reach itself; the sandbox clients call their emulators here over real HTTP. */
  internalUrl: string;
  dataDir: string;
  databasePath: string;
  authSecret: string;
  logLevel: Raw["LOG_LEVEL"];
  yoti: {
    sdkId: string;
    apiKey?: string;
    privateKeyPem?: string;
    apiUrl: string;
    portalUrl: string;
    authUrl: string;
    notificationPublicKeyPem: string;
    /** A second key for a rotation's overlap (an API key or a Central Auth private key), tried when Yoti refuses the first. */
    secondary?: { apiKey?: string; privateKeyPem?: string };
    ageThreshold: number;
    ageEstimationBuffer: number;
    methods: Raw["YOTI_METHODS"];
  };
  twilio: {
    accountSid: string;
    authToken: string;
    /** The other auth token during a changeover: webhooks it signed are accepted, REST falls back to it on 20003. */
    authTokenSecondary?: string;
    apiKeySid?: string;
    apiKeySecret?: string;
    messagingServiceSid?: string;
    phoneNumber?: string;
    /** Twilio Verify service (VA…): codes by SMS go through Verify instead of our own (sandbox: the emulator's). */
    verifyServiceSid?: string;
    /** Set in sandbox mode: the emulator's base URL, used through the SDK's custom HTTP client. */
    emulatorUrl?: string;
    mps: number;
    defaultCountry: string;
    /** Countries platform SMS may go to: the default country unless SMS_ALLOWED_COUNTRIES says otherwise. */
    allowedCountries: "all" | string[];
  };
  mail: { smtpUrl?: string; from: string };
  /** Abuse limits on smoke signals (SMS pumping): sends per rolling 24 hours. */
  limits: { perMemberPerDay: number; perRecipientPerDay: number; perIpPerDay: number };
  /** Platform SMS per UTC day: all together, per country other than the default, and per-country overrides. */
  smsCaps: { daily: number; perCountry: number; countries: Record<string, number> };
  /** Proxy addresses or CIDR ranges whose X-Forwarded-For entries are believed (see lib/http/client-ip.ts). */
  trustedProxies: string[];
  /** Sign-in and sign-up abuse limits (lib/auth/guard.ts). */
  auth: { failuresPerAccount: number; failuresPerIp: number; signUpsPerIpPerHour: number; hashConcurrency: number };
  /** The day each credential was issued (YYYY-MM-DD), when the operator said (the console and doctor warn after 90 days). */
  credentialsIssued: Partial<Record<IssuedCredential, string>>;
  /** Raw Yoti results and message bodies are purged after this many days. */
  retentionDays: number;
  /** Account flows' links (lib/account-links): lifetimes in ms and limits on how often they are sent. */
  accountLinks: {
    linkTtlMs: number;
    resetTtlMs: number;
    resetsPerEmailPerHour: number;
    resetsPerIpPerHour: number;
    verificationsPerHour: number;
    emailChangesPerDay: number;
    signUpEmailsPerHour: number;
    confirmTries: number;
  };
  /** Account alerts (lib/alerts): SMS alerts per member per rolling 24 hours. */
  alerts: { smsPerMemberPerDay: number };
  /** One-time codes by SMS (lib/phone-codes): length, lifetime, tries, resend wait, per number and per account. */
  phoneCodes: { length: number; ttlMs: number; tries: number; resendMs: number; perNumberPerHour: number; perAccountPerDay: number };
  /** Two-factor sign-in (lib/two-factor). rememberMs 0: "remember this device" is not offered. */
  twoFactor: { challengeTtlMs: number; tries: number; failuresPerDay: number; rememberMs: number; recoveryCodes: number };
  /** Sandbox demo accounts (sandbox mode only). */
  demo?: { memberEmail: string; memberPassword: string; adminEmail: string; adminPassword: string };
  /** The sandbox emulators' settings (used in sandbox mode only). */
  sandbox: { twilioFaults: string; yotiFaults: string; twilioMaxQueueMs: number; twilioMaxConcurrentRequests: number };
};

/** Credentials that can carry an issue date, each by the variable that names it (`<name>_ISSUED`). */
export const ISSUED_CREDENTIALS = ["TWILIO_AUTH_TOKEN", "TWILIO_AUTH_TOKEN_SECONDARY", "TWILIO_API_KEY", "YOTI_KEY", "YOTI_KEY_SECONDARY"] as const;
export type IssuedCredential = (typeof ISSUED_CREDENTIALS)[number];

function readPem(inline: string | undefined, file: string | undefined, name: string, problems: string[]): string | undefined {
  if (inline) return inline.replace(/\\n/g, "\n");
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    problems.push(`${name}: cannot read ${file} (check the path and file permissions)`);
    return undefined;
  }
}

function databasePathFrom(url: string | undefined, dataDir: string): string {
  if (!url) return path.join(dataDir, "app.db");
  const p = url.replace(/^file:(\/\/)?/, "").replace(/^sqlite:(\/\/)?/, "");
  return path.resolve(/*turbopackIgnore: true*/ p);
}

/** Pure: parse an environment (process.env by default). Throws ConfigError naming every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    // The variable's name alone: "TRUSTED_PROXIES.1" means nothing to an operator.
    throw new ConfigError([...new Set(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`))]);
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode: ProviderMode = providerMode(source);
  const port = e.PORT;
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.DATA_DIR ?? "data");
  const appUrl = (e.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const { hostname: appHostname, origin: appOrigin } = new URL(appUrl);
  const appUrlIsLocal = isLocalHostname(appHostname);
  const internalUrl = `http://127.0.0.1:${port}`;
  const host = listenHost(source);
  const limits = {
    perMemberPerDay: e.SMOKE_SIGNALS_PER_MEMBER_PER_DAY,
    perRecipientPerDay: e.SMOKE_SIGNALS_PER_RECIPIENT_PER_DAY,
    perIpPerDay: e.SMOKE_SIGNALS_PER_IP_PER_DAY,
  };
  const sandbox = {
    twilioFaults: e.SANDBOX_TWILIO_FAULTS,
    yotiFaults: e.SANDBOX_YOTI_FAULTS,
    twilioMaxQueueMs: e.SANDBOX_TWILIO_MAX_QUEUE_SECONDS * 1000,
    twilioMaxConcurrentRequests: e.SANDBOX_TWILIO_MAX_CONCURRENT_REQUESTS,
  };
  const base = {
    port,
    listen: { host, exposed: mode === "sandbox" && !isLocalHostname(host) },
    appUrl,
    appOrigin,
    internalUrl,
    dataDir,
    databasePath: databasePathFrom(e.DATABASE_URL, dataDir),
    logLevel: e.LOG_LEVEL,
    limits,
    smsCaps: { daily: e.SMS_DAILY_CAP, perCountry: e.SMS_COUNTRY_DAILY_CAP, countries: e.SMS_COUNTRY_DAILY_CAPS },
    trustedProxies: e.TRUSTED_PROXIES,
    auth: {
      failuresPerAccount: e.SIGN_IN_FAILURES_PER_ACCOUNT,
      failuresPerIp: e.SIGN_IN_FAILURES_PER_IP,
      signUpsPerIpPerHour: e.SIGN_UPS_PER_IP_PER_HOUR,
      hashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    },
    // Also in sandbox mode, where they describe the generated secrets (and let the console's warnings be tried).
    credentialsIssued: Object.fromEntries(ISSUED_CREDENTIALS.flatMap((c) => (e[`${c}_ISSUED`] ? [[c, e[`${c}_ISSUED`]!]] : []))),
    retentionDays: e.RETENTION_DAYS,
    alerts: { smsPerMemberPerDay: e.ALERT_SMS_PER_MEMBER_PER_DAY },
    phoneCodes: {
      length: e.PHONE_CODE_LENGTH,
      ttlMs: e.PHONE_CODE_MINUTES * 60_000,
      tries: e.PHONE_CODE_TRIES,
      resendMs: e.PHONE_CODE_RESEND_SECONDS * 1000,
      perNumberPerHour: e.PHONE_CODES_PER_NUMBER_PER_HOUR,
      perAccountPerDay: e.PHONE_CODES_PER_ACCOUNT_PER_DAY,
    },
    twoFactor: {
      challengeTtlMs: e.TWO_FACTOR_SIGN_IN_MINUTES * 60_000,
      tries: e.TWO_FACTOR_TRIES,
      failuresPerDay: e.TWO_FACTOR_FAILURES_PER_DAY,
      rememberMs: e.TWO_FACTOR_REMEMBER_DAYS * 24 * 3600_000,
      recoveryCodes: e.RECOVERY_CODE_COUNT,
    },
    accountLinks: {
      linkTtlMs: e.EMAIL_LINK_HOURS * 3600_000,
      resetTtlMs: e.PASSWORD_RESET_MINUTES * 60_000,
      resetsPerEmailPerHour: e.PASSWORD_RESETS_PER_EMAIL_PER_HOUR,
      resetsPerIpPerHour: e.PASSWORD_RESETS_PER_IP_PER_HOUR,
      verificationsPerHour: e.EMAIL_VERIFICATIONS_PER_HOUR,
      emailChangesPerDay: e.EMAIL_CHANGES_PER_DAY,
      signUpEmailsPerHour: e.SIGN_UP_EMAILS_PER_EMAIL_PER_HOUR,
      confirmTries: e.SIGN_UP_CONFIRM_TRIES,
    },
    sandbox,
  };
  const yotiPolicy = { ageThreshold: e.YOTI_AGE_THRESHOLD, ageEstimationBuffer: e.YOTI_AGE_ESTIMATION_BUFFER, methods: e.YOTI_METHODS };
  const twilioPolicy = { verifyServiceSid: e.TWILIO_VERIFY_SERVICE_SID, mps: e.TWILIO_MPS, defaultCountry: e.SMS_DEFAULT_COUNTRY, allowedCountries: e.SMS_ALLOWED_COUNTRIES ?? [e.SMS_DEFAULT_COUNTRY] };

  if (mode === "sandbox") {
    // A deploy that lost its credentials must not come up looking healthy with emulators that verify anyone and a
    // mailbox anyone can read: at a public address, sandbox mode has to be asked for.
    if (!appUrlIsLocal && !e.SANDBOX) {
      throw new ConfigError([
        `APP_URL is ${appUrl}, not this machine, but no Yoti or Twilio credential is set, so the app would start in SANDBOX mode (emulators that verify anyone, every email readable at /sandbox/mail). ` +
          "For live mode set the Yoti and Twilio credentials (see .env.example); to run the sandbox at this address on purpose, set SANDBOX=1.",
      ]);
    }
    const s = loadSandboxSecrets(dataDir);
    return {
      mode,
      ...base,
      authSecret: e.AUTH_SECRET ?? s.authSecret,
      yoti: {
        sdkId: s.yoti.sdkId,
        apiKey: s.yoti.apiKey,
        apiUrl: e.YOTI_API_URL ?? `${internalUrl}/sandbox/yoti/api/v1`,
        portalUrl: e.YOTI_PORTAL_URL ?? `${appUrl}/sandbox/yoti`,
        authUrl: e.YOTI_AUTH_URL ?? `${internalUrl}/sandbox/yoti/auth/v1/oauth/token`,
        notificationPublicKeyPem: s.yoti.notificationPublicKeyPem,
        ...yotiPolicy,
      },
      twilio: {
        accountSid: s.twilio.accountSid,
        authToken: s.twilio.authToken,
        phoneNumber: s.twilio.phoneNumber,
        emulatorUrl: e.SANDBOX_TWILIO_URL ?? `${internalUrl}/sandbox/twilio`,
        ...twilioPolicy,
      },
      mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? "Select Exposure <no-reply@localhost>" },
      demo: s.demo,
    };
  }

  // Live mode: every provider must be completely configured; a partial set is an error, never a silent fallback.
  // A .env copied from .env.example still holding its "replace-with-..." placeholders is not a configuration either.
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === "string" && value.trim().startsWith("replace-with-")) {
      problems.push(`${name} still holds the .env.example placeholder "${value.trim()}": set the real value`);
    }
  }
  const need = (name: keyof Raw, why: string) => {
    if (e[name] === undefined) problems.push(`${name} is missing: ${why}`);
  };
  if (e.SANDBOX) problems.push("SANDBOX=1 asks for sandbox mode, but Yoti or Twilio credentials are set: unset SANDBOX for live mode, or unset the credentials for the sandbox");
  need("AUTH_SECRET", "live mode signs sessions with it (generate one with: openssl rand -base64 32)");
  need("APP_URL", "live mode needs the public https URL that Yoti and Twilio call back");
  if (e.APP_URL && !appUrl.startsWith("https://") && !appUrlIsLocal) {
    problems.push(`APP_URL must be https in live mode (${appUrl}): sessions, Yoti and Twilio callbacks must not travel in clear text; http is only accepted for localhost`);
  }
  need("YOTI_SDK_ID", "the SDK ID of the Age verification service (Yoti Hub > Services > Age verification)");
  if (!e.YOTI_API_KEY && !e.YOTI_PRIVATE_KEY && !e.YOTI_PRIVATE_KEY_PATH) {
    problems.push("YOTI_API_KEY is missing: set the service's API key, or YOTI_PRIVATE_KEY / YOTI_PRIVATE_KEY_PATH for Central Auth");
  }
  const privateKeyPem = readPem(e.YOTI_PRIVATE_KEY, e.YOTI_PRIVATE_KEY_PATH, "YOTI_PRIVATE_KEY_PATH", problems);
  const notificationPublicKeyPem = readPem(e.YOTI_NOTIFICATION_PUBLIC_KEY, e.YOTI_NOTIFICATION_PUBLIC_KEY_PATH, "YOTI_NOTIFICATION_PUBLIC_KEY_PATH", problems);
  if (!notificationPublicKeyPem) {
    problems.push("YOTI_NOTIFICATION_PUBLIC_KEY is missing: paste the public key from Yoti's notifications documentation (or set YOTI_NOTIFICATION_PUBLIC_KEY_PATH)");
  }
  need("TWILIO_ACCOUNT_SID", "Twilio Console > Account info > Account SID");
  need("TWILIO_AUTH_TOKEN", "Twilio Console > Account info > Auth token (it also signs Twilio's webhooks, even when an API key is used)");
  if (e.TWILIO_AUTH_TOKEN_SECONDARY && e.TWILIO_AUTH_TOKEN_SECONDARY === e.TWILIO_AUTH_TOKEN) {
    problems.push("TWILIO_AUTH_TOKEN_SECONDARY is the same as TWILIO_AUTH_TOKEN: set it to the other token of the changeover (or unset it)");
  }
  const secondaryPem = readPem(e.YOTI_PRIVATE_KEY_SECONDARY, e.YOTI_PRIVATE_KEY_SECONDARY_PATH, "YOTI_PRIVATE_KEY_SECONDARY_PATH", problems);
  if (e.YOTI_API_KEY_SECONDARY && secondaryPem) {
    problems.push("Set one second Yoti key: YOTI_API_KEY_SECONDARY or YOTI_PRIVATE_KEY_SECONDARY(_PATH), not both");
  }
  if (e.YOTI_API_KEY_SECONDARY && e.YOTI_API_KEY_SECONDARY === e.YOTI_API_KEY) {
    problems.push("YOTI_API_KEY_SECONDARY is the same as YOTI_API_KEY: set it to the other key of the rotation (or unset it)");
  }
  if (Boolean(e.TWILIO_API_KEY_SID) !== Boolean(e.TWILIO_API_KEY_SECRET)) {
    problems.push(e.TWILIO_API_KEY_SID ? "TWILIO_API_KEY_SECRET is missing: it is shown once when the API key is created" : "TWILIO_API_KEY_SID is missing: set it with TWILIO_API_KEY_SECRET, or unset both");
  }
  if (!e.TWILIO_MESSAGING_SERVICE_SID && !e.TWILIO_PHONE_NUMBER) {
    problems.push(
      "Twilio has no sender: set TWILIO_PHONE_NUMBER to an SMS-capable number of this account (Console > Phone Numbers > Manage > Active numbers; buy one there if the list is empty) or TWILIO_MESSAGING_SERVICE_SID (Console > Messaging > Services)",
    );
  }
  need("SMTP_URL", "live mode sends email through SMTP, e.g. smtps://user:password@smtp.example.com:465");
  need("MAIL_FROM", "the From address of outgoing email, e.g. Select Exposure <no-reply@example.com>");
  if (problems.length) throw new ConfigError(problems);

  return {
    mode,
    ...base,
    authSecret: e.AUTH_SECRET!,
    yoti: {
      sdkId: e.YOTI_SDK_ID!,
      apiKey: e.YOTI_API_KEY,
      privateKeyPem,
      apiUrl: (e.YOTI_API_URL ?? "https://age.yoti.com/api/v1").replace(/\/+$/, ""),
      portalUrl: (e.YOTI_PORTAL_URL ?? "https://age.yoti.com").replace(/\/+$/, ""),
      authUrl: e.YOTI_AUTH_URL ?? "https://auth.api.yoti.com/v1/oauth/token",
      notificationPublicKeyPem: notificationPublicKeyPem!,
      ...(e.YOTI_API_KEY_SECONDARY || secondaryPem ? { secondary: { apiKey: e.YOTI_API_KEY_SECONDARY, privateKeyPem: secondaryPem } } : {}),
      ...yotiPolicy,
    },
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID!,
      authToken: e.TWILIO_AUTH_TOKEN!,
      authTokenSecondary: e.TWILIO_AUTH_TOKEN_SECONDARY,
      apiKeySid: e.TWILIO_API_KEY_SID,
      apiKeySecret: e.TWILIO_API_KEY_SECRET,
      messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
      phoneNumber: e.TWILIO_PHONE_NUMBER,
      ...twilioPolicy,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM! },
  };
}

let cached: Env | undefined;

/** The validated configuration of this process, parsed on first use (never at import, so `next build` needs no secrets). */
export function getEnv(): Env {
  cached ??= loadEnv();
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
