// Auth.js's endpoints; credential sign-ins go through the same limits as the sign-in form (429 + Retry-After), and
// every POST through the CSRF rules' origin check (Auth.js's form posts keep their own CSRF token too).
import { handlers } from "@/lib/auth";
import { withSignInLimits } from "@/lib/auth/route";
import { withCsrf } from "@/lib/http/api";

export const GET = handlers.GET;
export const POST = withCsrf(withSignInLimits(handlers.POST));
