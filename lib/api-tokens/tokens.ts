// Personal API tokens: shown once at creation, stored only as a sha-256 hash, revocable; creating one records the
// member's attestation that the people they message through the API have consented, and alerts the member.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { immediate, type Db } from "@/db/client";
import { raiseAlert } from "@/lib/alerts/raise";
import { apiTokens, members, type ApiToken, type Member } from "@/db/schema";

const PREFIX = "se_";

export const newTokenSchema = z.object({
  name: z.string().trim().min(1, "Name the token, for example “my script”.").max(60, "Use at most 60 characters."),
  consent: z.literal(true, { error: "Confirm that everyone you invite through the API has agreed to be contacted." }),
});

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Creates a token and raises the "API token created" alert with it; the returned `token` is the only time its value
 * exists outside the caller.
 */
export function createApiToken(db: Db, memberId: string, input: z.infer<typeof newTokenSchema>): { token: string; record: ApiToken } {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const record = immediate(db, () => {
    const row = db
      .insert(apiTokens)
      .values({ memberId, name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, PREFIX.length + 6), consentAttestedAt: new Date() })
      .returning()
      .get();
    raiseAlert(db, memberId, "api_token_created", { name: row.name });
    return row;
  });
  return { token, record };
}

export function listApiTokens(db: Db, memberId: string): ApiToken[] {
  return db.select().from(apiTokens).where(and(eq(apiTokens.memberId, memberId), isNull(apiTokens.revokedAt))).orderBy(desc(apiTokens.createdAt)).all();
}

/** Revokes one of the member's own tokens; false when there is no such live token of theirs. */
export function revokeApiToken(db: Db, memberId: string, id: string): boolean {
  const res = db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.memberId, memberId), isNull(apiTokens.revokedAt)))
    .run() as unknown as { changes: number };
  return res.changes > 0;
}

/** The member a presented token belongs to, or null when it is unknown or revoked, or its member is disabled. */
export function memberForToken(db: Db, token: string): { member: Member; token: ApiToken } | null {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  const row = db
    .select({ token: apiTokens, member: members })
    .from(apiTokens)
    .innerJoin(members, eq(members.id, apiTokens.memberId))
    // A disabled member's tokens stop working with their sessions (and work again if they are enabled).
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), isNull(members.disabledAt)))
    .get();
  if (!row) return null;
  db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.token.id)).run();
  return row;
}
