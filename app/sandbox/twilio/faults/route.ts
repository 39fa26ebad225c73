// The Twilio emulator's fault settings as JSON (sandbox only; 404 in live mode): GET, PUT (replace), DELETE (reset).
import { faultRoutes } from "@/lib/sandbox/fault-form";
import { getTwilioEmulator } from "@/lib/twilio/runtime";

export const dynamic = "force-dynamic";

export const { GET, PUT, DELETE } = faultRoutes(() => getTwilioEmulator().context.faults);
