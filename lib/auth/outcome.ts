// What the Credentials provider's authorize() learned beyond "yes" or "no" (a limit refusal, a new device cookie to
// set), carried to the code that answers the HTTP request: Auth.js itself only passes an error code through.
import "server-only";
import { remember } from "@epic-web/remember";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Refusal } from "./guard";
import type { SecondStepRefusal } from "./second-step";

export type SignInOutcome = {
  refusal?: Refusal;
  disabled?: string;
  newDevice?: string;
  /** The password was right and two-factor is on: this challenge token goes in the browser's cookie. */
  twoFactor?: { token: string; expiresAt: Date };
  /** A second-step code was refused (wrong, expired, limited). */
  secondStep?: SecondStepRefusal;
  /** The second step was completed: the challenge cookie can go. */
  secondStepDone?: boolean;
};

// One per process: authorize() and the route or action that waits for it may come from different bundles.
const storage = remember("auth.signInOutcome", () => new AsyncLocalStorage<SignInOutcome>());

/** Runs a sign-in (Auth.js handler or signIn()) and hands `after` what authorize() recorded. */
export async function withSignInOutcome<T>(run: (outcome: SignInOutcome) => Promise<T>): Promise<T> {
  const outcome: SignInOutcome = {};
  return storage.run(outcome, () => run(outcome));
}

/** For authorize(): the outcome of the sign-in under way (a throwaway when none is being watched). */
export function currentSignInOutcome(): SignInOutcome {
  return storage.getStore() ?? {};
}
