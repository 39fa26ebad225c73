// Mounts the Twilio emulator (sandbox mode only: 404 in live mode) at /sandbox/twilio, e.g.
// /sandbox/twilio/2010-04-01/Accounts/{AccountSid}/Messages.json.
import { sandboxOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return sandboxOnly() ?? getTwilioEmulator().handle(request);
}

export { handle as GET, handle as POST };
