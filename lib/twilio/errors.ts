// Twilio failures in words: every error code we can meet (Programmable Messaging and Verify), explained for members
// and operators and classed retryable or not.
import { MAX_SMS_BODY } from "./sms";

/** Twilio's refusal of a send to a number that replied STOP to the sender (until it replies START). */
export const TWILIO_OPTED_OUT = 21610;

export type TwilioExplanation = { retryable: boolean; memberMessage: string; operatorMessage: string };

const more = (code: number) => `https://www.twilio.com/docs/errors/${code}`;

const TABLE: Record<number, TwilioExplanation> = {
  20003: {
    retryable: false,
    memberMessage: "Text messages cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage:
      "Twilio error 20003: authentication failed. TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET) do not match an active account: copy them again from Twilio Console > Account info.",
  },
  20404: {
    retryable: false,
    memberMessage: "Text messages cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage: "Twilio error 20404: the requested resource does not exist in this account (check the account SID and the message or service SID).",
  },
  20429: {
    retryable: true,
    memberMessage: "We are sending a lot of messages right now; yours is queued and will go out shortly.",
    operatorMessage:
      "Twilio error 20429: too many concurrent REST requests on this account (Twilio never processed the request). Another process using the same account may be competing; the send is retried with backoff.",
  },
  21211: {
    retryable: false,
    memberMessage: "That phone number is not valid. Check it and try again.",
    operatorMessage: "Twilio error 21211: the 'To' number is not a valid phone number.",
  },
  21212: {
    retryable: false,
    memberMessage: "Text messages cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage: "Twilio error 21212: the 'From' number is not valid. Set TWILIO_PHONE_NUMBER to an E.164 number of this account.",
  },
  21408: {
    retryable: false,
    memberMessage: "We cannot send text messages to that country.",
    operatorMessage:
      "Twilio error 21408: the account has no permission to send SMS to this region. Enable it in Twilio Console > Messaging > Settings > Geo permissions, or keep it out of SMS_ALLOWED_COUNTRIES.",
  },
  21606: {
    retryable: false,
    memberMessage: "Text messages cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage:
      "Twilio error 21606: the 'From' number does not belong to this account or cannot send SMS. Check TWILIO_PHONE_NUMBER against Console > Phone Numbers > Active numbers (SMS capability), or use TWILIO_MESSAGING_SERVICE_SID.",
  },
  21608: {
    retryable: false,
    memberMessage: "That number cannot receive our messages yet.",
    operatorMessage:
      "Twilio error 21608: this is a trial account and the recipient is not a verified number. Verify the number in Console > Phone Numbers > Verified Caller IDs, or upgrade the account.",
  },
  [TWILIO_OPTED_OUT]: {
    retryable: false,
    memberMessage: "That number has opted out of our text messages (it replied STOP). It can reply START to opt back in.",
    operatorMessage: "Twilio error 21610: the recipient has unsubscribed from this sender (replied STOP); Twilio refuses to send until it replies START.",
  },
  21611: {
    retryable: true,
    memberMessage: "We are sending a lot of messages right now; yours is queued and will go out shortly.",
    operatorMessage:
      "Twilio error 21611: the sender's queue already holds more than Twilio's maximum wait (10 hours) of messages at its rate. Keep TWILIO_MPS at the sender's real throughput, or add senders to a messaging service; the send is retried later.",
  },
  21612: {
    retryable: false,
    memberMessage: "We cannot reach that number by text message. Check it, or try email instead.",
    operatorMessage: "Twilio error 21612: Twilio cannot route a message from this sender to this number (unsupported carrier or number type).",
  },
  21614: {
    retryable: false,
    memberMessage: "That number cannot receive text messages (it may be a landline). Use a mobile number, or try email.",
    operatorMessage: "Twilio error 21614: the 'To' number is not a mobile number or cannot receive SMS.",
  },
  21617: {
    retryable: false,
    memberMessage: `The message is too long: text messages can have at most ${MAX_SMS_BODY} characters.`,
    operatorMessage: `Twilio error 21617: the body exceeds ${MAX_SMS_BODY} characters; validate length before sending.`,
  },
  21705: {
    retryable: false,
    memberMessage: "Text messages cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage: "Twilio error 21705: the messaging service SID is invalid. Check TWILIO_MESSAGING_SERVICE_SID against Console > Messaging > Services.",
  },
  30001: {
    retryable: false,
    memberMessage: "The message was not sent: too many messages were waiting to go out. Please send it again later.",
    operatorMessage:
      "Twilio error 30001: queue overflow. The message waited in the sender's queue longer than Twilio's maximum (10 hours, or the ValidityPeriod) and was never sent. Keep TWILIO_MPS at the sender's real throughput.",
  },
  30003: {
    retryable: false,
    memberMessage: "The message could not be delivered: the phone is switched off or out of reach.",
    operatorMessage: "Twilio error 30003: unreachable destination handset (off, out of coverage, or no longer in service).",
  },
  30004: {
    retryable: false,
    memberMessage: "The message was blocked and not delivered: the recipient's phone or carrier blocks it.",
    operatorMessage: "Twilio error 30004: message blocked by the recipient's carrier or handset (the recipient may have blocked the sender).",
  },
  30005: {
    retryable: false,
    memberMessage: "The message could not be delivered: that number does not exist or is no longer in service.",
    operatorMessage: "Twilio error 30005: unknown destination handset (the number is not active at its carrier).",
  },
  30006: {
    retryable: false,
    memberMessage: "The message could not be delivered: that number is a landline or its carrier cannot take text messages.",
    operatorMessage: "Twilio error 30006: landline or unreachable carrier.",
  },
  30007: {
    retryable: false,
    memberMessage: "The recipient's carrier filtered the message out as unwanted, so it was not delivered.",
    operatorMessage:
      "Twilio error 30007: message filtered by the carrier (spam filtering). Check sender registration (A2P 10DLC / toll-free verification) and message content.",
  },
  30008: {
    retryable: true,
    memberMessage: "The message could not be delivered for an unknown reason. You can try again later.",
    operatorMessage: "Twilio error 30008: unknown error from the carrier; a later retry may succeed.",
  },
};

const NEW_CODE = "Ask for a new code in a few minutes.";

// Twilio Verify (v2). Verify holds the code and its own limits (5 sends and 5 checks per verification, 10 minutes):
// https://www.twilio.com/docs/verify/api/rate-limits-and-timeouts and each code's page.
Object.assign(TABLE, {
  60200: {
    retryable: false,
    memberMessage: "That was not accepted: check the mobile number (a mobile number with its country) or the code (the digits from the text), and try again.",
    operatorMessage: "Twilio Verify error 60200: invalid parameter (its message names it: To must be E.164, Channel 'sms', Code 4 to 10 digits).",
  },
  60202: {
    retryable: false,
    memberMessage: `Too many wrong codes for this number. ${NEW_CODE}`,
    operatorMessage:
      "Twilio Verify error 60202: 5 checks were made on this verification; Twilio accepts no more checks, and no new verification for the number, until it expires (10 minutes after it started).",
  },
  60203: {
    retryable: false,
    memberMessage: `We have sent as many codes to this number as we can for now. Use the latest code you received, or ${NEW_CODE.charAt(0).toLowerCase()}${NEW_CODE.slice(1)}`,
    operatorMessage: "Twilio Verify error 60203: 5 codes were sent in this verification without a successful check; Twilio sends no more until it expires (10 minutes).",
  },
  60204: {
    retryable: false,
    memberMessage: "Codes cannot be sent right now because of a problem on our side. We have been alerted.",
    operatorMessage: "Twilio Verify error 60204: the Verify service does not support what was asked (e.g. custom codes are off). Check the service's settings in Console > Verify > Services.",
  },
  60205: {
    retryable: false,
    memberMessage: "That number is a landline and cannot receive text messages. Use a mobile number.",
    operatorMessage: "Twilio Verify error 60205: SMS is not supported by landline phone numbers.",
  },
  60212: {
    retryable: true,
    memberMessage: `Codes to this number were asked for too quickly. ${NEW_CODE}`,
    operatorMessage: "Twilio Verify error 60212: too many concurrent verifications for one phone number (possibly fraudulent traffic; the app's own per-number limit should prevent this).",
  },
  60410: {
    retryable: false,
    memberMessage: "We cannot send a code to that number right now. Use another mobile number, or try again tomorrow.",
    operatorMessage:
      "Twilio Verify error 60410: Fraud Guard blocked SMS to this number's prefix for 12 hours after suspected SMS pumping. Nothing to change unless it persists; check SMS_ALLOWED_COUNTRIES and the per-number limits.",
  },
  60605: {
    retryable: false,
    memberMessage: "We cannot send codes to that country. Use a mobile number from a country we serve.",
    operatorMessage:
      "Twilio Verify error 60605: Verify Geo-Permissions block this destination. Enable the country in Console > Verify > Settings > Geo permissions, or keep it out of SMS_ALLOWED_COUNTRIES.",
  },
} satisfies Record<number, TwilioExplanation>);

const UNKNOWN: TwilioExplanation = {
  retryable: false,
  memberMessage: "The message could not be sent. Please try again later.",
  operatorMessage: "Twilio returned an error this app does not know",
};

/** Plain words for a Twilio error code (a 429 HTTP status without a code counts as 20429). */
export function explainTwilioCode(code: number | null): TwilioExplanation {
  if (code === 429) return TABLE[20429]!;
  if (code !== null && TABLE[code]) return TABLE[code];
  if (code === null) return { ...UNKNOWN, operatorMessage: "Twilio returned an error without a code." };
  return { ...UNKNOWN, operatorMessage: `${UNKNOWN.operatorMessage}: code ${code}, see ${more(code)}.` };
}

export class TwilioError extends Error {
  readonly code: number | null;
  readonly httpStatus: number | null;
  readonly retryable: boolean;
  /** The request may or may not have reached Twilio (timeout, connection reset after sending): check before resending. */
  readonly outcomeUnknown: boolean;
  readonly memberMessage: string;
  readonly operatorMessage: string;

  constructor(init: {
    code: number | null;
    httpStatus: number | null;
    retryable: boolean;
    outcomeUnknown?: boolean;
    memberMessage: string;
    operatorMessage: string;
  }) {
    super(init.operatorMessage);
    this.name = "TwilioError";
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.memberMessage = init.memberMessage;
    this.operatorMessage = init.operatorMessage;
  }

  static fromCode(code: number | null, httpStatus: number | null, twilioMessage?: string): TwilioError {
    const e = explainTwilioCode(code);
    // Server-side failures (5xx) without a known code are Twilio's trouble, worth another try.
    const retryable = e.retryable || (code === null && httpStatus !== null && httpStatus >= 500) || httpStatus === 429;
    const detail = twilioMessage && !e.operatorMessage.includes(twilioMessage) ? ` Twilio said: ${twilioMessage}` : "";
    return new TwilioError({ code, httpStatus, retryable, memberMessage: e.memberMessage, operatorMessage: `${e.operatorMessage}${detail}` });
  }
}

/**
 * Whether Twilio Verify refused a request by one of its own limits (5 sends or 5 checks per verification, one number
 * asked for too fast): an HTTP 429 with a Verify (600xx) code.
 */
export function isVerifyLimit(error: unknown): error is TwilioError {
  return error instanceof TwilioError && error.httpStatus === 429 && error.code !== null && error.code >= 60000;
}

/**
 * Why Verify refused to check a code, or null for any other failure: "exhausted" (60202, its 5 checks are spent) or
 * "gone" (20404, the verification expired, was approved or was canceled).
 */
export function verifyCheckRefusal(error: unknown): "exhausted" | "gone" | null {
  if (!(error instanceof TwilioError)) return null;
  return error.code === 60202 ? "exhausted" : error.code === 20404 ? "gone" : null;
}

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "CERT_HAS_EXPIRED"]);
/** Our own code for a request never started because its deadline had passed (lib/twilio/http-client.ts). */
const DEADLINE_PASSED = "ERR_DEADLINE_PASSED";
const MAYBE_SENT_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "ECONNABORTED", "EPIPE", "ERR_SOCKET_CONNECTION_TIMEOUT", "UND_ERR_SOCKET"]);

/** A failure after which Twilio may or may not have the message: the outbox looks it up before any resend. */
function outcomeUnknown(operatorMessage: string): TwilioError {
  return new TwilioError({
    code: null,
    httpStatus: null,
    retryable: true,
    outcomeUnknown: true,
    memberMessage: "We are checking whether your message went out; its status will update shortly.",
    operatorMessage,
  });
}

/** Turns whatever the SDK threw (RestException, axios network error, anything) into a TwilioError. */
export function toTwilioError(error: unknown): TwilioError {
  if (error instanceof TwilioError) return error;
  const e = error as { status?: unknown; code?: unknown; message?: unknown; response?: unknown; isAxiosError?: unknown };
  // RestException: an HTTP answer from Twilio with a JSON error body.
  if (typeof e?.status === "number" && e.status >= 400) {
    const code = typeof e.code === "number" ? e.code : e.status === 401 ? 20003 : e.status === 429 ? 20429 : null;
    const known = TwilioError.fromCode(code, e.status, typeof e.message === "string" ? e.message : undefined);
    if (e.status < 500) return known;
    // A 5xx may come after Twilio accepted the message (a gateway timing out behind it): check before resending.
    return new TwilioError({ ...known, code: known.code, httpStatus: known.httpStatus, outcomeUnknown: true });
  }
  const netCode = typeof e?.code === "string" ? e.code : undefined;
  const message = typeof e?.message === "string" ? e.message : String(error);
  if (netCode === DEADLINE_PASSED) {
    return new TwilioError({
      code: null,
      httpStatus: null,
      retryable: true,
      memberMessage: "Text messages are delayed; yours will go out as soon as possible.",
      operatorMessage: "The outbox was too busy to start this send before its deadline; nothing was sent, it is retried.",
    });
  }
  const timedOut = netCode !== undefined && MAYBE_SENT_CODES.has(netCode);
  if (timedOut || /timeout|socket hang up/i.test(message)) {
    return outcomeUnknown(`The request to Twilio failed after it may have been sent (${netCode ?? message}): look the message up before sending again.`);
  }
  if (netCode !== undefined && NOT_SENT_CODES.has(netCode)) {
    return new TwilioError({
      code: null,
      httpStatus: null,
      retryable: true,
      memberMessage: "Text messages are delayed; yours will go out as soon as possible.",
      operatorMessage: `Cannot connect to Twilio (${netCode}); nothing was sent. Check outbound network access to api.twilio.com.`,
    });
  }
  // Anything else (an unexpected answer, a bug): we cannot tell whether Twilio got it, so check before any resend.
  return outcomeUnknown(`Unexpected failure calling Twilio: ${message}`);
}
