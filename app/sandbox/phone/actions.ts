"use server";
// The sandbox phone's reply: the tester's text goes to the emulator, which POSTs Twilio's signed inbound webhook to the app.
import { redirect } from "next/navigation";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/runtime";
import { normalisePhone } from "@/lib/twilio/phone";
import { MAX_SMS_BODY } from "@/lib/twilio/sms";

const input = z.object({ from: z.string().max(40), body: z.string().max(MAX_SMS_BODY * 2) });

export async function replyAction(form: FormData): Promise<void> {
  sandboxPageOnly();
  // The STOP / START / HELP buttons send their word instead of the typed text.
  const parsed = input.safeParse({ from: form.get("from") ?? "", body: form.get("keyword") || form.get("body") || "" });
  const from = parsed.success ? parsed.data.from : "";
  const phone = normalisePhone(from, getEnv().twilio.defaultCountry);
  const back = (params: Record<string, string>) => redirect(`/sandbox/phone?${new URLSearchParams(params)}`);
  if (!phone.ok) back({ error: "number", ...(from ? { number: from } : {}) });
  const number = phone.ok ? phone.e164 : "";
  const body = parsed.success ? parsed.data.body.trim() : "";
  if (!body) back({ number, error: "empty" });
  if ([...body].length > MAX_SMS_BODY) back({ number, error: "long" });
  const result = await getTwilioEmulator().receive({ from: number, body });
  back({ number, reply: result.message.sid });
}
