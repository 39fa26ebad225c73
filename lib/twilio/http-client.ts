// The SDK's own extension point, a RequestClient subclass, used in both modes: it bounds every request by the
// caller's deadline (so a send can never still be in flight after the moment the outbox relies on), sizes the socket
// pool for the outbox's concurrency, and in sandbox mode sends Twilio's requests to the local emulator over real HTTP
// (same paths, auth, bodies), so the SDK itself is never patched or mocked.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import twilio from "twilio";

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0] & { data?: TData };

/** Twilio API hosts the emulator serves, and the path prefix each one gets under the emulator's base URL. */
const HOSTS: Record<string, string> = {
  "api.twilio.com": "",
  "messaging.twilio.com": "/messaging",
  "verify.twilio.com": "/verify",
};

const deadlines = new AsyncLocalStorage<number>();

/** Runs `fn` so that every Twilio request it makes is abandoned (and never started) after `deadline` (epoch ms). */
export function withDeadline<T>(deadline: number | undefined, fn: () => Promise<T>): Promise<T> {
  return deadline === undefined ? fn() : deadlines.run(deadline, fn);
}

/** The request was not made: its deadline had passed before it could start. Nothing reached Twilio. */
export class DeadlinePassedError extends Error {
  readonly code = "ERR_DEADLINE_PASSED";
  constructor() {
    super("the request's deadline passed before it was sent");
    this.name = "DeadlinePassedError";
  }
}

export class TwilioRequestClient extends twilio.RequestClient {
  private readonly base: string | null;

  constructor(options: { timeout: number; maxSockets?: number; emulatorUrl?: string }) {
    super({ timeout: options.timeout, keepAlive: true, maxSockets: options.maxSockets, maxTotalSockets: options.maxSockets });
    this.base = options.emulatorUrl ? options.emulatorUrl.replace(/\/+$/, "") : null;
  }

  /** https://api.twilio.com/2010-04-01/... -> <emulator>/2010-04-01/... (sandbox); unchanged in live mode. */
  rewrite(uri: string): string {
    if (!this.base) return uri;
    const url = new URL(uri);
    const prefix = HOSTS[url.hostname];
    if (prefix === undefined) throw new Error(`The sandbox Twilio emulator does not serve ${url.hostname}`);
    return `${this.base}${prefix}${url.pathname}${url.search}`;
  }

  override request<TData>(opts: RequestOptions<TData>) {
    let timeout = opts.timeout ?? this.defaultTimeout;
    const deadline = deadlines.getStore();
    if (deadline !== undefined) {
      const left = deadline - Date.now();
      if (left <= 0) return Promise.reject(new DeadlinePassedError());
      timeout = Math.min(timeout, left);
    }
    return super.request<TData>({ ...opts, uri: this.rewrite(opts.uri), timeout });
  }
}
