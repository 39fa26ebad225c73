// GET /api/accounts/alert-preferences: every alert event with its channels and whether SMS can be chosen.
// PUT the same shape ({"events": {"<event>": {"inApp", "email", "sms"}}}, any subset): saved all or nothing; a
// security alert with every channel off, or SMS without a verified number, is a 400 naming the event.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { ALERT_EVENTS, ALERTS, type AlertEvent } from "@/lib/alerts/catalogue";
import { alertChoices, saveAlertChoices, smsAvailability } from "@/lib/alerts/preferences";
import { requireSessionMemberApi } from "@/lib/auth/session";
import { api, parseJson } from "@/lib/http/api";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const choice = z.object({ inApp: z.boolean(), email: z.boolean(), sms: z.boolean() }).strict();
const body = z.object({ events: z.partialRecord(z.enum(ALERT_EVENTS as [AlertEvent, ...AlertEvent[]]), choice) }).strict();

function view(memberId: string) {
  const db = getDb();
  const choices = alertChoices(db, memberId);
  const sms = smsAvailability(db, memberId);
  return {
    events: ALERT_EVENTS.map((event) => ({ event, group: ALERTS[event].group, label: ALERTS[event].label, channels: choices[event] })),
    sms: sms.available ? { available: true } : { available: false, why: sms.why },
  };
}

export const GET = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  return NextResponse.json(view(member.id), { headers: { "Cache-Control": "no-store" } });
});

export const PUT = api(async (request: Request) => {
  const member = await requireSessionMemberApi(request);
  const input = await parseJson(request, body);
  saveAlertChoices(getDb(), member.id, input.events);
  return NextResponse.json(view(member.id));
});

export const { POST, PATCH, DELETE } = refuseOtherMethods("GET", "PUT");
