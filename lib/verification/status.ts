// What a verification session's status means for us, written once for the server and the profile page (pure).

/** A session still open at Yoti: the member can continue it, and we keep asking for its result. */
export const ACTIVE_STATUSES = ["PENDING", "IN_PROGRESS"] as const;

export function isActiveStatus(status: string | null | undefined): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status ?? "");
}

/** Statuses a session ends in: its "time to result" is measured to the first of them. */
export const FINAL_STATUSES = ["COMPLETE", "FAIL", "ERROR", "CANCELLED", "EXPIRED"] as const;
