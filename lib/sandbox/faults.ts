// Faults on demand for the sandbox emulators: settings parsed from the environment ("error500=10%,latencyMs=200") or
// set at run time (the control page or endpoint), a share of requests picked at random, and counters of what was
// injected, so a tester sees exactly which faults are on and what they did. Sandbox mode only.
import { z } from "zod";
import { fieldErrors } from "@/lib/http/fields";

/** A share of requests, 0..1 ("0.1" or "10%" in the environment). */
export const share = () => z.number().min(0, "must be between 0 and 1 (or 0% and 100%)").max(1, "must be between 0 and 1 (or 0% and 100%)").default(0);
export const millis = (max: number, dflt = 0) => z.number().int("must be a whole number of milliseconds").min(0).max(max).default(dflt);

/** The request faults both emulators share: answered 500 after processing, 503 before, or withheld; added latency. */
export const requestFaultShape = () => ({
  /** Processed, then answered 500: the provider failing after it accepted the request, the worst case for a client. */
  error500: share(),
  /** Answered 503 without processing. */
  error503: share(),
  /** Processed, but the answer is withheld: never sent (the client gives up), or sent after `timeoutAnswerAfterMs`. */
  timeout: share(),
  timeoutAnswerAfterMs: millis(600_000),
  /** Added before every answer (after processing). */
  latencyMs: millis(60_000),
});

type Field = { key: string; label: string; kind: "share" | "ms" | "number"; hint?: string };

/** The control page's fields for the shared request faults; `subject` names what is requested ("Requests", "API requests"). */
export function requestFaultFields(subject: string, created: string): Field[] {
  return [
    { key: "error500", label: `${subject} answered 500 after processing`, kind: "share", hint: `${created}, but the app is told the request failed.` },
    { key: "error503", label: `${subject} answered 503 before processing`, kind: "share" },
    { key: "timeout", label: `${subject} timed out (processed, answer withheld)`, kind: "share" },
    { key: "timeoutAnswerAfterMs", label: "Withheld answers are sent after (ms, 0 = never)", kind: "ms" },
    { key: "latencyMs", label: "Added latency (ms)", kind: "ms" },
  ];
}

/** At most one of the faults `keys` (settings holding shares) for one request: exclusive slices of one roll; counted. */
export function pickExclusive<K extends string>(store: FaultStore<Record<string, unknown>>, keys: readonly K[]): K | null {
  const settings = store.get();
  let r = store.random();
  for (const key of keys) {
    const p = Number(settings[key] ?? 0);
    if (r < p) {
      store.count(key);
      return key;
    }
    r -= p;
  }
  return null;
}

/** "a=0.1, b=20%, c=3000, to=+447700900123" -> { a: 0.1, b: 0.2, c: 3000, to: "+447700900123" }; unknown keys are kept (the schema refuses them). */
export function parseFaultText(text: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of (text ?? "").split(/[,;\s]+/)) {
    if (!part.trim()) continue;
    const [key, ...rest] = part.split("=");
    const raw = rest.join("=").trim();
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(raw);
    // Phone numbers ("+44...") stay text; plain numbers become numbers.
    out[key!.trim()] = percent ? Number(percent[1]) / 100 : raw !== "" && !raw.startsWith("+") && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

/** Human-readable problems of a fault setting, one per field ("error500: must be between 0 and 1"). */
export const faultProblems = (error: z.ZodError) => fieldErrors(error, "settings");

export type FaultStore<T> = {
  /** The settings now in force. */
  get(): T;
  /** Where they came from: the environment at start, or a change made on the control page / endpoint. */
  source(): "environment" | "changed";
  /** What each fault did so far (since start or the last reset). */
  injected(): Record<string, number>;
  /** Replaces the settings (validated); returns the problems instead when invalid, changing nothing. */
  set(input: unknown): { ok: true; settings: T } | { ok: false; fields: Record<string, string> };
  /** Back to the environment's settings (no faults unless the environment asks for some), counters cleared. */
  reset(): T;
  count(kind: string): void;
  /** True with probability `p` (the random source is injectable for tests). */
  roll(p: number): boolean;
  random(): number;
};

export function createFaultStore<S extends z.ZodType>(schema: S, envText: string | undefined, random: () => number = Math.random): FaultStore<z.infer<S>> {
  const fromEnv = schema.safeParse(parseFaultText(envText));
  // Start-up validation (lib/env.ts) refuses a malformed variable; here an invalid one can only mean no faults.
  const initial = (fromEnv.success ? fromEnv.data : schema.parse({})) as z.infer<S>;
  let settings = initial;
  let changed = false;
  let counters: Record<string, number> = {};
  return {
    get: () => settings,
    source: () => (changed ? "changed" : "environment"),
    injected: () => ({ ...counters }),
    set(input) {
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { ok: false, fields: faultProblems(parsed.error) };
      settings = parsed.data as z.infer<S>;
      changed = true;
      return { ok: true, settings };
    },
    reset() {
      settings = initial;
      changed = false;
      counters = {};
      return settings;
    },
    count(kind) {
      counters[kind] = (counters[kind] ?? 0) + 1;
    },
    roll: (p) => p > 0 && random() < p,
    random,
  };
}

/**
 * Withholds an answer: resolves when the client gives up (its request is aborted), after `answerAfterMs` when that is
 * set (> 0), or after `capMs` at the latest. Returns true when the answer may still be sent.
 */
export async function withhold(signal: AbortSignal | undefined, answerAfterMs: number, capMs = 5 * 60_000): Promise<boolean> {
  if (signal?.aborted) return false;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => done(answerAfterMs > 0), answerAfterMs > 0 ? answerAfterMs : capMs);
    const onAbort = () => done(false);
    function done(answer: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(answer);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
