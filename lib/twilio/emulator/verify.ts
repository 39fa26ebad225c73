// Twilio Verify v2 in the emulator (verify.twilio.com/v2/Services/{VA}/...): start a verification (a 6-digit code by
// SMS, shown on the sandbox phone), resend it (the same code, at most 5 sends), check it (5 tries), cancel or approve
// it, fetch it and the service, with Twilio's statuses, expiry (10 minutes) and error codes. Where Twilio's
// documents are silent the emulator is stricter (docs/decisions/052-twilio-verify-emulator.md).
import "server-only";
import { randomBytes, randomInt } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { OFCOM_DRAMA } from "../phone";
import { E164 } from "../sms";
import type { EmulatorContext } from "./emulator";
import { MAGIC_TO } from "./magic";
import { errorResponse } from "./resources";
import { getVerification, insertMessage, insertVerification, latestVerification, updateVerification } from "./store";
import type { SandboxTwilioVerification } from "@/db/schema";

/** Twilio: "Tokens are valid for a default period of 10 minutes"; 5 sends and 5 checks per verification. */
export const VERIFY_TTL_MS = 10 * 60_000;
export const VERIFY_MAX_SENDS = 5;
export const VERIFY_MAX_CHECKS = 5;
/** The service's code_length (Twilio's default). */
export const VERIFY_CODE_LENGTH = 6;
/** Verify texts from Twilio's own senders, not the account's number: the sandbox phone shows this as the sender. */
export const VERIFY_SENDER = "Verify";

const HOST = "https://verify.twilio.com";
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;
const invalid = (name: string) => errorResponse(400, 60200, `Invalid parameter: ${name}`);
const notFound = (path: string) => errorResponse(404, 20404, `The requested resource ${path} was not found`);

/** What the emulator's Verify service is called in its texts ("Your Select Exposure verification code is: …"). */
export type VerifyServiceOptions = { serviceSid: string; friendlyName: string };

/** The fields a Verification and a VerificationCheck share (Twilio's two resources for one verification). */
function commonJson(r: SandboxTwilioVerification) {
  return {
    sid: r.sid,
    service_sid: r.serviceSid,
    account_sid: r.accountSid,
    to: r.to,
    channel: r.channel,
    status: r.status,
    valid: r.status === "approved",
    amount: null,
    payee: null,
    date_created: iso(r.dateCreated),
    date_updated: iso(r.dateUpdated),
  };
}

function verificationJson(r: SandboxTwilioVerification) {
  return {
    ...commonJson(r),
    lookup: {},
    send_code_attempts: r.sends.map((s) => ({ time: iso(s.time), channel: "SMS", attempt_sid: `VL${s.sid.slice(2)}` })),
    sna: null,
    url: `${HOST}/v2/Services/${r.serviceSid}/Verifications/${r.sid}`,
  };
}

function checkJson(r: SandboxTwilioVerification) {
  return { ...commonJson(r), sna_attempts_error_codes: null };
}

function serviceJson(ctx: EmulatorContext, service: VerifyServiceOptions) {
  const url = `${HOST}/v2/Services/${service.serviceSid}`;
  const created = iso(ctx.account.created);
  return {
    sid: service.serviceSid,
    account_sid: ctx.accountSid,
    friendly_name: service.friendlyName,
    code_length: VERIFY_CODE_LENGTH,
    lookup_enabled: false,
    psd2_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: false,
    tts_name: null,
    do_not_share_warning_enabled: false,
    custom_code_enabled: false,
    push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
    totp: { issuer: null, time_step: null, code_length: null, skew: null },
    default_template_sid: null,
    whatsapp: { msg_service_sid: null, from: null },
    passkeys: { relying_party: { id: null, name: null, origins: null }, authenticator_attachment: null, discoverable_credentials: null, user_verification: null },
    verify_event_subscription_enabled: false,
    date_created: created,
    date_updated: created,
    url,
    links: Object.fromEntries(
      ["verification_checks:VerificationCheck", "verifications:Verifications", "rate_limits:RateLimits", "messaging_configurations:MessagingConfigurations", "entities:Entities", "webhooks:Webhooks", "access_tokens:AccessTokens"].map(
        (pair) => {
          const [key, path] = pair.split(":") as [string, string];
          return [key, `${url}/${path}`];
        },
      ),
    ),
  };
}

/** The verification as it stands now: a pending one past its 10 minutes has expired (and is gone, as at Twilio). */
function current(ctx: EmulatorContext, r: SandboxTwilioVerification | undefined, now: number): SandboxTwilioVerification | undefined {
  if (!r) return undefined;
  if ((r.status === "pending" || r.status === "max_attempts_reached") && now >= r.expiresAt) {
    updateVerification(ctx.db, r.sid, { status: "expired", dateUpdated: now });
    return { ...r, status: "expired", dateUpdated: now };
  }
  return r;
}

/**
 * Twilio deletes a verification once approved, canceled or expired, or once its checks ran out: it is "not found" from
 * then on (fetched, updated or checked). A verification whose checks ran out is kept here all the same, to refuse a
 * new one for the same number with 60202 until it would have expired.
 */
const gone = (r: SandboxTwilioVerification | undefined) =>
  !r || r.status === "approved" || r.status === "canceled" || r.status === "expired" || r.status === "max_attempts_reached";

/**
 * A number Twilio could text: valid by libphonenumber's full metadata (Twilio refuses others with 60200 `To`), Twilio's
 * magic test numbers, or Ofcom's drama range, which the app's own checks accept as the sandbox's test numbers.
 */
const textable = (to: string) => E164.test(to) && (Boolean(MAGIC_TO[to]) || OFCOM_DRAMA.test(to) || parsePhoneNumberFromString(to)?.isValid() === true);

function deliver(ctx: EmulatorContext, service: VerifyServiceOptions, to: string, code: string, now: number): string {
  const messageSid = sid("SM");
  const body = `Your ${service.friendlyName} verification code is: ${code}`;
  insertMessage(ctx.db, {
    sid: messageSid,
    accountSid: ctx.accountSid,
    messagingServiceSid: null,
    direction: "outbound-api",
    from: VERIFY_SENDER,
    to,
    body,
    status: "queued",
    numSegments: 1,
    statusCallback: null,
    callbackStatus: "queued",
    nextAt: now + ctx.delays.queuedMs,
    sendAt: now + ctx.delays.queuedMs,
    failCode: null,
    dateCreated: now,
    dateUpdated: now,
  });
  ctx.lifecycle.wake(now + ctx.delays.queuedMs);
  return messageSid;
}

function startVerification(ctx: EmulatorContext, service: VerifyServiceOptions, form: URLSearchParams): Response {
  const to = form.get("To")?.trim() ?? "";
  const channel = form.get("Channel")?.trim() ?? "";
  if (!textable(to) || MAGIC_TO[to]?.(to, VERIFY_SENDER).code === 21211) return invalid("To");
  // Stricter than Twilio: only the sms channel (the others need a voice, email or WhatsApp set-up the sandbox lacks).
  if (channel !== "sms") return invalid("Channel");
  // The service has custom codes off (custom_code_enabled false): Twilio answers "Service does not support this feature".
  if (form.get("CustomCode")) return errorResponse(400, 60204, "Service does not support this feature");
  // Twilio's magic numbers, in Verify's words: cannot receive SMS (+15005550009), no permission for the region (…0003).
  const magic = MAGIC_TO[to]?.(to, VERIFY_SENDER).code;
  if (magic === 21614) return errorResponse(400, 60205, "SMS is not supported by landline phone number");
  if (magic === 21408) return errorResponse(403, 60605, "Verification delivery attempt blocked");
  const now = Date.now();
  const latest = current(ctx, latestVerification(ctx.db, service.serviceSid, to), now);
  // Twilio 60202: after 5 wrong checks "wait until the current verification expires (10 minutes) to create a new one".
  if (latest?.status === "max_attempts_reached") return errorResponse(429, 60202, "Max check attempts reached");
  if (latest?.status === "pending") {
    // Within its 10 minutes a new request resends the same code, up to 5 sends (then 60203).
    if (latest.sends.length >= VERIFY_MAX_SENDS) return errorResponse(429, 60203, "Max send attempts reached");
    const sends = [...latest.sends, { time: now, sid: deliver(ctx, service, to, latest.code, now) }];
    updateVerification(ctx.db, latest.sid, { sends, dateUpdated: now });
    return Response.json(verificationJson({ ...latest, sends, dateUpdated: now }), { status: 201 });
  }
  const code = String(randomInt(0, 10 ** VERIFY_CODE_LENGTH)).padStart(VERIFY_CODE_LENGTH, "0");
  const row: SandboxTwilioVerification = {
    sid: sid("VE"),
    accountSid: ctx.accountSid,
    serviceSid: service.serviceSid,
    to,
    channel,
    code,
    status: "pending",
    sends: [{ time: now, sid: deliver(ctx, service, to, code, now) }],
    checks: 0,
    dateCreated: now,
    dateUpdated: now,
    expiresAt: now + VERIFY_TTL_MS,
  };
  insertVerification(ctx.db, row);
  return Response.json(verificationJson(row), { status: 201 });
}

function checkVerification(ctx: EmulatorContext, service: VerifyServiceOptions, form: URLSearchParams, path: string): Response {
  const code = form.get("Code")?.trim() ?? "";
  const to = form.get("To")?.trim() ?? "";
  const verificationSid = form.get("VerificationSid")?.trim() ?? "";
  if (!/^\d{4,10}$/.test(code)) return invalid("Code");
  if (!to && !verificationSid) return invalid("To");
  if (verificationSid && !/^VE[0-9a-fA-F]{32}$/.test(verificationSid)) return invalid("VerificationSid");
  if (to && !E164.test(to)) return invalid("To");
  const now = Date.now();
  let found = verificationSid ? getVerification(ctx.db, verificationSid) : latestVerification(ctx.db, service.serviceSid, to);
  if (found && (found.serviceSid !== service.serviceSid || (to && found.to !== to))) found = undefined;
  const r = current(ctx, found, now);
  // Checks ran out: Twilio answers 60202 to a check, 404 to a fetch or an update (below).
  if (r?.status === "max_attempts_reached") return errorResponse(429, 60202, "Max check attempts reached");
  if (!r || gone(r)) return notFound(path);
  const checks = r.checks + 1;
  const status = code === r.code ? "approved" : checks >= VERIFY_MAX_CHECKS ? "max_attempts_reached" : "pending";
  updateVerification(ctx.db, r.sid, { checks, status, dateUpdated: now });
  return Response.json(checkJson({ ...r, checks, status, dateUpdated: now }), { status: 201 });
}

function fetchOrUpdate(ctx: EmulatorContext, method: string, verificationSid: string, form: URLSearchParams | null, path: string): Response {
  const now = Date.now();
  const r = current(ctx, getVerification(ctx.db, verificationSid), now);
  if (!r || gone(r)) return notFound(path);
  if (method === "GET") return Response.json(verificationJson(r));
  const status = form?.get("Status")?.trim();
  if (status !== "canceled" && status !== "approved") return invalid("Status");
  updateVerification(ctx.db, r.sid, { status, dateUpdated: now });
  return Response.json(verificationJson({ ...r, status, dateUpdated: now }));
}

/** Routes /verify/v2/Services/... for the emulator's one Verify service (any other service sid is 20404). */
export function handleVerify(ctx: EmulatorContext, method: string, path: string, form: URLSearchParams | null): Response {
  const m = /^\/verify\/v2\/Services\/(VA[0-9a-fA-F]{32})(\/.*)?$/.exec(path);
  const service = ctx.verify;
  if (!m || !service || m[1] !== service.serviceSid) return notFound(path);
  const rest = m[2] ?? "";
  if (rest === "" && method === "GET") return Response.json(serviceJson(ctx, service));
  if (rest === "/Verifications" && method === "POST") return startVerification(ctx, service, form ?? new URLSearchParams());
  if (rest === "/VerificationCheck" && method === "POST") return checkVerification(ctx, service, form ?? new URLSearchParams(), path);
  const one = /^\/Verifications\/(VE[0-9a-fA-F]{32})$/.exec(rest);
  if (one && (method === "GET" || method === "POST")) return fetchOrUpdate(ctx, method, one[1]!, form, path);
  return notFound(path);
}

