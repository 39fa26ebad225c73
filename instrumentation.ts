// Next's start-up hook: in the Node.js server runtime, register the outbox's senders and start this process's
// dispatcher, and in sandbox mode resume the Twilio and Yoti emulators' owed callbacks and notifications (never
// during a build); say in the log when HOST exposes the sandbox to other machines.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { registerSenders } = await import("./lib/senders");
  registerSenders();
  const { startDispatcher } = await import("./lib/outbox/dispatcher");
  startDispatcher();
  const { startOperatorJobs } = await import("./lib/console/jobs");
  startOperatorJobs();
  const { startTwilioEmulatorIfSandbox } = await import("./lib/twilio/runtime");
  startTwilioEmulatorIfSandbox();
  const { startYotiEmulatorIfSandbox } = await import("./lib/yoti/runtime");
  startYotiEmulatorIfSandbox();
  const { getEnv } = await import("./lib/env");
  const env = getEnv();
  if (env.listen.exposed) {
    const [{ log }, { sandboxExposedWarning }] = await Promise.all([import("./lib/log"), import("./lib/sandbox/exposure")]);
    log.warn({ host: env.listen.host, port: env.port }, sandboxExposedWarning(env).join(" "));
  }
}
