// Test helpers for messaging: a member, a smoke signal queued for them, and in-memory stand-ins for the provider ports.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, outbox, profiles, smokeSignals, type Member } from "@/db/schema";
import type { ListedMessage, SentMessage } from "@/lib/twilio/client";
import type { Ports, SmsPort } from "@/lib/outbox/deliver";
import { registerSenders } from "@/lib/senders";
import { SMOKE_SIGNAL } from "@/lib/smoke-signals/delivery";
import { SignalRefused } from "@/lib/smoke-signals/errors";
import { sendSmokeSignal, type SendInput } from "@/lib/smoke-signals/send";

// Tests drive the outbox as the app does: with the smoke-signal domain registered as its sender.
registerSenders();

export const TEST_ENV = {
  mode: "live" as const,
  appUrl: "https://members.example.com",
  twilio: { accountSid: `AC${"0".repeat(32)}`, authToken: "t", mps: 50, defaultCountry: "GB", allowedCountries: "all" as "all" | string[] },
  limits: { perMemberPerDay: 100, perRecipientPerDay: 100, perIpPerDay: 1000 },
  smsCaps: { daily: 100_000, perCountry: 100_000, countries: {} as Record<string, number> },
  alerts: { smsPerMemberPerDay: 10 },
};

/**
 * A member row without going through password hashing (these tests are not about accounts). Age-verified unless
 * asked otherwise, since platform SMS is for verified members.
 */
export function makeMember(db: Db, role: "member" | "admin" = "member", opts: { verified?: boolean } = {}): Member {
  const member = db.insert(members).values({ email: `m-${randomUUID().slice(0, 8)}@example.com`, passwordHash: "x", role }).returning().get();
  db.insert(profiles).values({ memberId: member.id, yotiVerified: opts.verified ?? true, isOver18: opts.verified ?? true }).run();
  return member;
}

export function queueSignal(db: Db, sender: Member, input: Partial<SendInput> = {}, env = TEST_ENV) {
  return sendSmokeSignal(
    db,
    { to: "+447700900123", channel: "SMS", message: "Come and see", consent: true, ...input } as SendInput,
    { sender, senderScreenName: "Ana", tokenConsent: false, ip: "203.0.113.7", env: env as never },
  );
}

/** The error of class `kind` that `fn` throws (any other outcome fails the test). */
export function thrownBy<E extends Error>(kind: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** The SignalRefused that `fn` throws (any other outcome fails the test). */
export const refusalOf = (fn: () => unknown): SignalRefused => thrownBy(SignalRefused, fn);

export const signalRow = (db: Db, id: string) => db.select().from(smokeSignals).where(eq(smokeSignals.id, id)).get()!;
export const outboxOf = (db: Db, signalId: string) =>
  db.select().from(outbox).where(and(eq(outbox.purpose, SMOKE_SIGNAL), eq(outbox.ownerId, signalId))).get()!;

/** Timing for fakes: a send can no longer create a message 60 ms after it starts (50 ms timeout + 10 ms grace). */
export const FAKE_TIMING = { requestTimeoutMs: 50, providerGraceMs: 10 };

/** A fake Twilio that remembers what it "sent"; `behave` can throw for a given call number. */
export function fakeTwilio(behave?: (call: number, input: { to: string; body: string }) => void) {
  const sent: (ListedMessage & { statusCallback: string })[] = [];
  let calls = 0;
  let lists = 0;
  const port: SmsPort = {
    timing: FAKE_TIMING,
    async sendSms(input) {
      calls++;
      behave?.(calls, input);
      const m: SentMessage = { sid: `SM${randomUUID().replace(/-/g, "")}`, status: "queued", to: input.to, errorCode: null, numSegments: 1, price: null, priceUnit: null };
      sent.push({ ...m, body: input.body, dateCreated: new Date(), statusCallback: input.statusCallback });
      return m;
    },
    async listMessages({ to, since }) {
      lists++;
      return sent.filter((m) => m.to === to && m.dateCreated >= since);
    },
    async fetchMessage(sid) {
      const m = sent.find((s) => s.sid === sid);
      if (!m) throw new Error(`no message ${sid}`);
      return m;
    },
  };
  return { port, sent, calls: () => calls, lists: () => lists };
}

export function fakePorts(sms: SmsPort, mail: Ports["mail"] = async () => ({ messageId: "<m@test>", response: "250 ok", caught: true })): Ports {
  return { sms: () => sms, mail, statusCallbackUrl: () => "https://members.example.com/api/twilio/status-callback" };
}
