// Sign-in attempts per email, one count per process: the sign-in form and Auth.js's own endpoint share it.
import { RateLimiterMemory } from "rate-limiter-flexible";

// On globalThis because Next bundles each route apart: a module-level limiter gave /signin and
// /api/auth/callback/credentials ten guesses each.
const holder = globalThis as unknown as { __seSignInAttempts?: RateLimiterMemory };

// Ten tries per email per 15 minutes slows password guessing without locking out a member who mistypes.
const attempts = () => (holder.__seSignInAttempts ??= new RateLimiterMemory({ keyPrefix: "signin", points: 10, duration: 15 * 60 }));

/** Counts one attempt; false when this email has used up its attempts. */
export async function takeSignInAttempt(email: string): Promise<boolean> {
  try {
    await attempts().consume(email);
    return true;
  } catch {
    return false;
  }
}

/** A successful sign-in forgives the earlier mistakes. */
export async function clearSignInAttempts(email: string): Promise<void> {
  await attempts().delete(email);
}
