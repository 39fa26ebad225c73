"use server";
// The Yoti emulator page's form: change, reset or turn off its faults (sandbox only).
import { revalidatePath } from "next/cache";
import { applyFaultsForm, type FaultsState } from "@/lib/sandbox/fault-actions";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { YOTI_FAULT_FIELDS } from "@/lib/yoti/emulator/faults";
import { getYotiFaults } from "@/lib/yoti/runtime";

export async function yotiFaultsAction(_state: FaultsState, form: FormData): Promise<FaultsState> {
  sandboxPageOnly();
  const state = applyFaultsForm(YOTI_FAULT_FIELDS, getYotiFaults(), form);
  // The page around the form (what is on, what it did) shows the new settings at once.
  revalidatePath("/sandbox/yoti");
  return state;
}
