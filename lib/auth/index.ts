// Auth.js (next-auth v5) configuration: email + password through the Credentials provider, JWT sessions.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { checkCredentials, isRole } from "@/lib/accounts/members";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { clearSignInAttempts, takeSignInAttempt } from "./attempts";

declare module "next-auth" {
  interface User {
    role?: "member" | "admin";
  }
  interface Session {
    user: { id: string; email: string; role: "member" | "admin" };
  }
}

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(1024) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  logger: {
    error: (error) => {
      if ((error as { type?: string }).type !== "CredentialsSignin") log.warn({ err: error }, "auth error");
    },
    warn: (code) => log.warn({ code }, "auth warning"),
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        if (!(await takeSignInAttempt(email))) throw new TooManyAttempts();
        const member = await checkCredentials(getDb(), email, password);
        if (!member) return null;
        await clearSignInAttempts(email);
        return { id: member.id, email: member.email, role: member.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = isRole(token.role) ? token.role : "member";
      return session;
    },
  },
}));
