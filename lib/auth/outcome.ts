// What the Credentials provider's authorize() learned beyond "yes" or "no" (a limit refusal, a new device cookie to
// set), carried to the code that answers the HTTP request: Auth.js itself only passes an error code through.
import "server-only";
import { remember } from "@epic-web/remember";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Refusal } from "./guard";

export type SignInOutcome = { refusal?: Refusal; disabled?: string; newDevice?: string };

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
