// The app's structured logger (pino, JSON lines on stdout); secrets and credentials are redacted by key name.
import { remember } from "@epic-web/remember";
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: {
    paths: [
      "password",
      "*.password",
      "passwordHash",
      "*.passwordHash",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "token",
      "*.token",
      "apiKey",
      "*.apiKey",
      "authToken",
      "*.authToken",
      "secret",
      "*.secret",
    ],
    censor: "[redacted]",
  },
});

/** How long a flood gate stays shut after the line it let through. */
export const FLOOD_GATE_MS = 60_000;

/**
 * For lines a stranger can cause at will (forged webhooks, a reached SMS cap): the first for `key` is logged, then the
 * gate stays shut for a minute, counting what it holds back. Null: stay silent; otherwise log, saying how many like it
 * were held back since the last line. A flood costs the log a line a minute per key instead of one per request (the
 * console's counts stay exact). `key` comes from a small fixed set (a refusal's cause, a country), never from the
 * request's free text, so the map stays small.
 */
export function floodGate(key: string, now = Date.now()): { heldBack: number } | null {
  const gates = remember("log.flood-gates", () => new Map<string, { shutUntil: number; heldBack: number }>());
  const gate = gates.get(key);
  if (gate && now < gate.shutUntil) {
    gate.heldBack++;
    return null;
  }
  gates.set(key, { shutUntil: now + FLOOD_GATE_MS, heldBack: 0 });
  return { heldBack: gate?.heldBack ?? 0 };
}

/** The words a line let through a flood gate ends with: how many like it were held back, if any. */
export const heldBackWords = (heldBack: number) => (heldBack ? ` (${heldBack} more like it since the last such line, not logged)` : "");
