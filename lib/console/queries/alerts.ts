// Reads for the alert checks (recent SMS outcomes, recent verification results, active admins) and the operator_alerts
// table they keep.
import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { members, operatorAlerts, outbox, verificationSessions, type OperatorAlert } from "@/db/schema";

/** Final outcomes of the last `n` SMS Twilio accepted, newest first. */
export function recentSmsOutcomes(db: Db, n: number): ("delivered" | "failed")[] {
  return db
    .select({ outcome: outbox.outcome })
    .from(outbox)
    .where(and(eq(outbox.channel, "SMS"), eq(outbox.state, "sent"), inArray(outbox.outcome, ["delivered", "failed"])))
    .orderBy(desc(outbox.createdAt))
    .limit(n)
    .all()
    .map((r) => r.outcome as "delivered" | "failed");
}

/** Results (COMPLETE or FAIL) of the last `n` verification sessions that reached one, newest first. */
export function recentVerificationResults(db: Db, n: number): string[] {
  return db
    .select({ status: verificationSessions.status })
    .from(verificationSessions)
    .where(and(inArray(verificationSessions.status, ["COMPLETE", "FAIL"]), isNotNull(verificationSessions.finishedAt)))
    .orderBy(desc(verificationSessions.finishedAt))
    .limit(n)
    .all()
    .map((r) => r.status);
}

/** Who the console's alert emails go to: administrators who can sign in. */
export function activeAdminEmails(db: Tx): string[] {
  return db
    .select({ email: members.email })
    .from(members)
    .where(and(eq(members.role, "admin"), isNull(members.disabledAt)))
    .all()
    .map((r) => r.email);
}

export function alertState(db: Tx, key: string): OperatorAlert | undefined {
  return db.select().from(operatorAlerts).where(eq(operatorAlerts.key, key)).get();
}

export function saveAlert(db: Tx, alert: OperatorAlert): void {
  db.insert(operatorAlerts)
    .values(alert)
    .onConflictDoUpdate({ target: operatorAlerts.key, set: { firing: alert.firing, since: alert.since, notifiedAt: alert.notifiedAt, detail: alert.detail } })
    .run();
}

export function firingAlerts(db: Db): OperatorAlert[] {
  return db.select().from(operatorAlerts).where(eq(operatorAlerts.firing, true)).orderBy(desc(operatorAlerts.since)).all();
}
