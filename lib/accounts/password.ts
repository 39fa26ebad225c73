// Password policy (NIST 800-63B style: length over composition rules, no common or guessable passwords) and argon2id
// hashing, at most PASSWORD_HASH_CONCURRENCY at once.
import "server-only";
import { remember } from "@epic-web/remember";
import { hash, verify } from "@node-rs/argon2";
import { getEnv } from "@/lib/env";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

// The most common leaked passwords of 10+ characters; a short list catches the worst choices without a data file.
const COMMON = new Set([
  "1234567890",
  "0123456789",
  "12345678910",
  "123456789a",
  "qwertyuiop",
  "1q2w3e4r5t",
  "1qaz2wsx3edc",
  "password12",
  "password123",
  "password1234",
  "passw0rd123",
  "iloveyou123",
  "qwerty1234",
  "qwerty12345",
  "qwerty123456",
  "abcdefghij",
  "abc1234567",
  "aaaaaaaaaa",
  "letmein123",
  "welcome123",
  "football123",
  "baseball123",
  "sunshine123",
  "princess123",
  "superman123",
  "trustno1234",
  "administrator",
  "changeme123",
  "selectexposure",
]);

/** Returns a plain-words reason the password is not acceptable, or null when it is. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return "This password is too common. Choose something less guessable.";
  const local = email?.split("@")[0]?.toLowerCase();
  if ((email && lower === email.toLowerCase()) || (local && local.length >= 4 && lower.includes(local))) {
    return "Your password must not contain your email address.";
  }
  return null;
}

// argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane). algorithm 2 = Argon2id.
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Every hashing slot is taken: the caller should answer 429 with Retry-After instead of queueing without bound. */
export class PasswordHashBusy extends Error {
  readonly retryAfterSeconds = 1;
  constructor() {
    super("Too many password checks are running at once.");
    this.name = "PasswordHashBusy";
  }
}

// Hashing is the costly step of sign-in (CPU and 19 MiB each): a flood of wrong passwords must not queue thousands of
// them on the thread pool and starve everyone. Counted process-wide, across every route.
const slots = remember("accounts.hashSlots", () => ({ running: 0 }));

/** Runs `work` in one of the PASSWORD_HASH_CONCURRENCY slots, or throws PasswordHashBusy when none is free. */
export async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  const state = slots;
  if (state.running >= getEnv().auth.hashConcurrency) throw new PasswordHashBusy();
  state.running++;
  try {
    return await work();
  } finally {
    state.running--;
  }
}

/** Throws PasswordHashBusy when PASSWORD_HASH_CONCURRENCY hashes are already running. */
export function hashPassword(password: string): Promise<string> {
  return inHashSlot(() => hash(password, OPTIONS));
}

/** Throws PasswordHashBusy when PASSWORD_HASH_CONCURRENCY hashes are already running; false for a wrong password. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  return inHashSlot(async () => {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  });
}

// Verifying against this keeps sign-in timing the same whether or not the email exists (made outside the slots: once).
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hash("not-a-real-password-for-timing", OPTIONS);
  return dummy;
}
