// What to say when HOST makes sandbox mode reachable from other machines: the start banner prints it and the server
// logs it, because there the emulators and the caught mail are open to anyone who can reach the port.
import type { Env } from "@/lib/env";

export function sandboxExposedWarning(env: Pick<Env, "listen" | "port">): string[] {
  return [
    `WARNING: HOST=${env.listen.host} exposes the SANDBOX to other machines: anyone who can reach port ${env.port} can read`,
    "every email at /sandbox/mail (join links included), every text at /sandbox/phone, pass the emulated Yoti check,",
    "and sign in with the demo accounts. Unset HOST to listen on 127.0.0.1 only.",
  ];
}
