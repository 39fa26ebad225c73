"use server";
// The Twilio emulator page's form: change, reset or turn off its faults (sandbox only).
import { revalidatePath } from "next/cache";
import { applyFaultsForm, type FaultsState } from "@/lib/sandbox/fault-actions";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/runtime";
import { TWILIO_FAULT_FIELDS } from "@/lib/twilio/emulator/faults";

export async function twilioFaultsAction(_state: FaultsState, form: FormData): Promise<FaultsState> {
  sandboxPageOnly();
  const state = applyFaultsForm(TWILIO_FAULT_FIELDS, getTwilioEmulator().context.faults, form);
  // The page around the form (what is on, what it did) shows the new settings at once.
  revalidatePath("/sandbox/twilio");
  return state;
}
