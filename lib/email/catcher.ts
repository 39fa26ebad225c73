// The sandbox mail catcher: with no SMTP_URL in sandbox mode, outgoing mail lands in SQLite and is read at /sandbox/mail.
import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sandboxMailMessages, type SandboxMail } from "@/db/schema";

export function catchMail(db: Db, mail: { from: string; to: string; subject: string; text: string; html?: string | null; headers?: Record<string, string> }): SandboxMail {
  const headers = mail.headers && Object.keys(mail.headers).length ? mail.headers : null;
  return db.insert(sandboxMailMessages).values({ ...mail, html: mail.html ?? null, headers }).returning().get();
}

export function listCaughtMail(db: Db, opts: { to?: string; limit?: number } = {}): SandboxMail[] {
  const q = db.select().from(sandboxMailMessages);
  const filtered = opts.to ? q.where(eq(sandboxMailMessages.to, opts.to.trim().toLowerCase())) : q;
  return filtered.orderBy(desc(sandboxMailMessages.createdAt)).limit(opts.limit ?? 100).all();
}
