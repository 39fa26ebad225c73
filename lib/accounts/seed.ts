// Sandbox seed: a demo member and a demo admin, created on first start so a newcomer can sign in at once.
import type { Db } from "@/db/client";
import type { Env } from "@/lib/env";
import { createMember, findMemberByEmail } from "./members";

/** Creates the sandbox demo accounts when missing; returns what was created. Does nothing in live mode. */
export async function seedSandbox(db: Db, env: Env): Promise<string[]> {
  if (env.mode !== "sandbox" || !env.demo) return [];
  const created: string[] = [];
  const wanted = [
    { email: env.demo.memberEmail, password: env.demo.memberPassword, role: "member" as const, screenName: "Demo member" },
    { email: env.demo.adminEmail, password: env.demo.adminPassword, role: "admin" as const, screenName: "Demo admin" },
  ];
  for (const account of wanted) {
    if (await findMemberByEmail(db, account.email)) continue;
    await createMember(db, account);
    created.push(account.email);
  }
  return created;
}
