// Twilio's JSON shapes, built from emulator rows: message, account, incoming number, list pages and errors, field for
// field as api.twilio.com returns them (checked against Twilio's OpenAPI description in a test).
import { createHash } from "node:crypto";
import type { SandboxTwilioMessage } from "@/db/schema";
import { priceOf } from "./prices";

export const API_VERSION = "2010-04-01";

/** RFC 2822 in GMT, exactly as Twilio writes it: "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toUTCString().replace(/GMT$/, "+0000");
}

/** A stable SID for a name (e.g. the PN sid of a phone number), so repeated fetches agree. */
export function stableSid(prefix: string, name: string): string {
  return prefix + createHash("sha256").update(name).digest("hex").slice(0, 32);
}

const accountPath = (accountSid: string) => `/${API_VERSION}/Accounts/${accountSid}`;

export function messageJson(m: SandboxTwilioMessage) {
  const uri = `${accountPath(m.accountSid)}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: "0",
    num_segments: String(m.numSegments),
    price: priceOf(m),
    price_unit: "USD",
    sid: m.sid,
    status: m.status,
    subresource_uris: {
      media: `${accountPath(m.accountSid)}/Messages/${m.sid}/Media.json`,
      feedback: `${accountPath(m.accountSid)}/Messages/${m.sid}/Feedback.json`,
    },
    to: m.to,
    uri,
  };
}

export type AccountInfo = { sid: string; authToken: string; friendlyName: string; status: "active" | "suspended" | "closed"; type: "Trial" | "Full"; created: number };

export function accountJson(a: AccountInfo) {
  const base = accountPath(a.sid);
  const sub = (name: string) => `${base}/${name}.json`;
  return {
    auth_token: a.authToken,
    date_created: rfc2822(a.created),
    date_updated: rfc2822(a.created),
    friendly_name: a.friendlyName,
    owner_account_sid: a.sid,
    sid: a.sid,
    status: a.status,
    subresource_uris: {
      addresses: sub("Addresses"),
      available_phone_numbers: sub("AvailablePhoneNumbers"),
      balance: sub("Balance"),
      incoming_phone_numbers: sub("IncomingPhoneNumbers"),
      messages: sub("Messages"),
      usage: sub("Usage"),
    },
    type: a.type,
    uri: `${base}.json`,
  };
}

export function incomingNumberJson(accountSid: string, phoneNumber: string, created: number) {
  const sid = stableSid("PN", `${accountSid}:${phoneNumber}`);
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: "none",
    api_version: API_VERSION,
    beta: false,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: rfc2822(created),
    date_updated: rfc2822(created),
    friendly_name: phoneNumber.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, "($1) $2-$3"),
    identity_sid: null,
    phone_number: phoneNumber,
    origin: "twilio",
    sid,
    sms_application_sid: null,
    sms_fallback_method: "POST",
    sms_fallback_url: "",
    sms_method: "POST",
    sms_url: "",
    status_callback: "",
    status_callback_method: "POST",
    trunk_sid: null,
    uri: `${accountPath(accountSid)}/IncomingPhoneNumbers/${sid}.json`,
    voice_receive_mode: "voice",
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: "POST",
    voice_fallback_url: null,
    voice_method: "POST",
    voice_url: null,
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    bundle_sid: null,
    status: "in-use",
    type: "local",
  };
}

/** A page of a list resource with Twilio's paging fields (URIs relative to the API host, as Twilio gives them). */
export function pageJson<T>(
  key: string,
  items: T[],
  paging: { page: number; pageSize: number; uri: string; firstPageUri: string; nextPageUri: string | null; previousPageUri: string | null },
) {
  const start = paging.page * paging.pageSize;
  return {
    end: start + Math.max(items.length - 1, 0),
    first_page_uri: paging.firstPageUri,
    next_page_uri: paging.nextPageUri,
    page: paging.page,
    page_size: paging.pageSize,
    previous_page_uri: paging.previousPageUri,
    start,
    uri: paging.uri,
    [key]: items,
  };
}

/** Twilio's error body: { code, message, more_info, status }. */
export function errorResponse(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status, headers });
}
