// Next's start-up hook, run once per server process before it answers (npm start, next start, next dev; never during a
// build): lib/startup.ts checks the configuration, migrates, seeds and starts the background work.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./lib/startup");
  await startServer();
}
