// Auth.js's endpoints; credential sign-ins go through the same limits as the sign-in form (429 + Retry-After).
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { withSignInLimits } from "@/lib/auth/route";
import { api } from "@/lib/http/api";

export const GET = api((request: Request) => handlers.GET(request as NextRequest));
export const POST = withSignInLimits(handlers.POST);
