"use server";
// The Twilio emulator page's form: change, reset or turn off its faults (sandbox only).
import { applyFaultsForm, type FaultsState } from "@/lib/sandbox/fault-actions";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/emulator";
import { TWILIO_FAULT_FIELDS } from "@/lib/twilio/emulator/faults";

export async function twilioFaultsAction(_state: FaultsState, form: FormData): Promise<FaultsState> {
  sandboxPageOnly();
  return applyFaultsForm(TWILIO_FAULT_FIELDS, getTwilioEmulator().context.faults, form);
}
