// The SDK's own extension point for sandbox mode: a RequestClient that sends Twilio's requests to the local emulator
// over real HTTP (same paths, auth, bodies), so the SDK itself is never patched or mocked.
import "server-only";
import twilio from "twilio";

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0] & { data?: TData };

/** Twilio API hosts the emulator serves, and the path prefix each one gets under the emulator's base URL. */
const HOSTS: Record<string, string> = {
  "api.twilio.com": "",
  "messaging.twilio.com": "/messaging",
};

export class EmulatorRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(emulatorUrl: string, options: { timeout?: number } = {}) {
    super({ timeout: options.timeout, keepAlive: true });
    this.base = emulatorUrl.replace(/\/+$/, "");
  }

  /** https://api.twilio.com/2010-04-01/... -> <emulator>/2010-04-01/... */
  rewrite(uri: string): string {
    const url = new URL(uri);
    const prefix = HOSTS[url.hostname];
    if (prefix === undefined) throw new Error(`The sandbox Twilio emulator does not serve ${url.hostname}`);
    return `${this.base}${prefix}${url.pathname}${url.search}`;
  }

  override request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: this.rewrite(opts.uri) });
  }
}
