// Migration 0004's hand-written data statements: join-alert choices become the "invitee_joined" alert's preferences.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import { tempDir } from "@/lib/testing/db";

const MIGRATIONS = path.join(__dirname, "migrations");

/** The migrations folder as it was before `tag`: its journal cut there. */
function migrationsBefore(tag: string): string {
  const dir = tempDir("se-old-migrations-");
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag));
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify(journal));
  return dir;
}

describe("migration 0004 (account alerts)", () => {
  it("keeps every member's join alert: email and SMS become the invitee_joined alert's channels, the typed number an unverified phone", () => {
    const sqlite = new Database(path.join(tempDir(), "app.db"));
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsBefore("0004_account_alerts") });
    const member = sqlite.prepare("insert into members (id, email, password_hash) values (?, ?, 'x')");
    const profile = sqlite.prepare("insert into profiles (member_id, phone) values (?, ?)");
    const pref = sqlite.prepare("insert into messaging_preferences (member_id, join_alert, alert_phone) values (?, ?, ?)");
    for (const [id, choice, phone, own] of [
      ["by-email", "email", null, null],
      ["by-sms", "sms", "+447700900111", null],
      ["by-sms-with-phone", "sms", "+447700900222", "+447700900333"],
      ["nothing", "none", null, null],
    ] as const) {
      member.run(id, `${id}@example.com`);
      profile.run(id, own);
      pref.run(id, choice, phone);
    }
    migrate(db, { migrationsFolder: MIGRATIONS });
    expect(sqlite.prepare("select member_id, event, in_app, email, sms from alert_preferences order by member_id").all()).toEqual([
      { member_id: "by-email", event: "invitee_joined", in_app: 1, email: 1, sms: 0 },
      { member_id: "by-sms", event: "invitee_joined", in_app: 1, email: 0, sms: 1 },
      { member_id: "by-sms-with-phone", event: "invitee_joined", in_app: 1, email: 0, sms: 1 },
    ]);
    expect(sqlite.prepare("select member_id, phone, phone_verified_at from profiles order by member_id").all()).toEqual([
      { member_id: "by-email", phone: null, phone_verified_at: null },
      { member_id: "by-sms", phone: "+447700900111", phone_verified_at: null },
      { member_id: "by-sms-with-phone", phone: "+447700900333", phone_verified_at: null },
      { member_id: "nothing", phone: null, phone_verified_at: null },
    ]);
    expect(sqlite.prepare("select name from sqlite_master where name = 'messaging_preferences'").all()).toEqual([]);
  });
});
