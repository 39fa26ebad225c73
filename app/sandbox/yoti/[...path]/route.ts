// Mounts the local Yoti emulator (API, Central Auth, hosted page form posts) under /sandbox/yoti; 404 in live mode.
import { sandboxOnly } from "@/lib/sandbox/guard";
import { getYotiEmulator } from "@/lib/yoti/runtime";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return sandboxOnly() ?? getYotiEmulator()(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as DELETE };
