// Next's start-up hook: in the Node.js server runtime, start this process's outbox dispatcher (never during a build).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startDispatcher } = await import("./lib/outbox/dispatcher");
  startDispatcher();
}
