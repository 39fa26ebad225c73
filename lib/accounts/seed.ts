// Sandbox seed: a demo member and a demo admin, created on first start so a newcomer can sign in at once. Their
// passwords are printed at start, so live mode disables them (and ends their sessions) before serving anyone.
import "server-only";
import { immediate, type Db } from "@/db/client";
import { endMemberSessions } from "@/lib/auth/sessions";
import type { Env } from "@/lib/env";
import { createMember, disableSandboxDemoMembers, enableSandboxDemo, findMemberByEmail, sandboxDemoEmails } from "./members";

/** Creates the sandbox demo accounts when missing; returns what was created. Does nothing in live mode. */
export async function seedSandbox(db: Db, env: Env): Promise<string[]> {
  if (env.mode !== "sandbox" || !env.demo) return [];
  const created: string[] = [];
  const wanted = [
    { email: env.demo.memberEmail, password: env.demo.memberPassword, role: "member" as const, screenName: "Demo member" },
    { email: env.demo.adminEmail, password: env.demo.adminPassword, role: "admin" as const, screenName: "Demo admin" },
  ];
  for (const account of wanted) {
    const existing = await findMemberByEmail(db, account.email);
    if (existing) {
      // Back in sandbox mode after a live start disabled them: the demo accounts work again.
      if (existing.disabledAt || !existing.sandboxDemo) enableSandboxDemo(db, existing.id);
      continue;
    }
    await createMember(db, { ...account, sandboxDemo: true });
    created.push(account.email);
  }
  return created;
}

/**
 * Live mode: the sandbox's demo accounts (passwords in the start log and in sandbox-secrets.json) are disabled and
 * their sessions ended. Returns the emails it disabled now; sign-in refuses them in live mode regardless.
 */
export function disableSandboxDemoAccounts(db: Db, now = new Date()): string[] {
  return immediate(db, () => {
    const demo = disableSandboxDemoMembers(db, now);
    for (const m of demo) endMemberSessions(db, m.id, "disabled", null, now.getTime());
    return demo.map((m) => m.email);
  });
}

/** The demo accounts present in this database (for the start banner). */
export function sandboxDemoAccounts(db: Db): string[] {
  return sandboxDemoEmails(db);
}
