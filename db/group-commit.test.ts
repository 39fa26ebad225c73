// Group commit (commitSoon): work queued in the same turn of the event loop shares one transaction, each caller gets
// its own result only once that transaction has committed, and one failing piece of work rolls back only itself.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { members } from "@/db/schema";
import { testDb } from "@/lib/testing/db";
import { commitSoon } from "./client";

describe("commitSoon", () => {
  it("commits the work of one turn together, resolving each with its own result; a failure undoes only its own work", async () => {
    const db = testDb();
    const other = new Database(db.$client.name, { readonly: true });
    const committed = () => (other.prepare("select email from members order by email").all() as { email: string }[]).map((m) => m.email);
    const add = (email: string) => commitSoon(db, () => db.insert(members).values({ email, passwordHash: "x" }).returning({ email: members.email }).get().email);
    const first = add("a@example.com");
    const failing = commitSoon(db, () => {
      db.insert(members).values({ email: "b@example.com", passwordHash: "x" }).run();
      throw new Error("refused");
    });
    let seenByOthersMeanwhile: string[] | undefined;
    const last = commitSoon(db, () => {
      db.insert(members).values({ email: "c@example.com", passwordHash: "x" }).run();
      seenByOthersMeanwhile = committed();
      return "c@example.com";
    });
    expect(committed()).toEqual([]);
    await expect(failing).rejects.toThrow("refused");
    expect(await first).toBe("a@example.com");
    expect(await last).toBe("c@example.com");
    // While the last piece of work ran, the first was written but not committed: they share one transaction.
    expect(seenByOthersMeanwhile).toEqual([]);
    expect(committed()).toEqual(["a@example.com", "c@example.com"]);
    other.close();
  });

  it("work alone in its turn commits on its own and, when it fails, rolls back entirely and rejects", async () => {
    const db = testDb();
    const other = new Database(db.$client.name, { readonly: true });
    const committed = () => (other.prepare("select email from members order by email").all() as { email: string }[]).map((m) => m.email);
    expect(await commitSoon(db, () => db.insert(members).values({ email: "a@example.com", passwordHash: "x" }).returning({ email: members.email }).get().email)).toBe("a@example.com");
    expect(committed()).toEqual(["a@example.com"]);
    const failing = commitSoon(db, () => {
      db.insert(members).values({ email: "b@example.com", passwordHash: "x" }).run();
      db.insert(members).values({ email: "c@example.com", passwordHash: "x" }).run();
      throw new Error("refused");
    });
    await expect(failing).rejects.toThrow("refused");
    expect(committed()).toEqual(["a@example.com"]);
    expect(db.$client.inTransaction).toBe(false);
    other.close();
  });
});
