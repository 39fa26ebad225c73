// Auth.js's endpoints; credential sign-ins go through the same limits as the sign-in form (429 + Retry-After).
import { handlers } from "@/lib/auth";
import { withSignInLimits } from "@/lib/auth/route";

export const GET = handlers.GET;
export const POST = withSignInLimits(handlers.POST);
