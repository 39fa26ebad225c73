// Privacy: the retention job (what it purges, after how many days, when it last ran, run it now), what account
// deletion does, and what is kept of deleted members (anonymous counts only).
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireAdminPage } from "@/lib/console/gate";
import { lastRun } from "@/lib/console/jobs";
import { getEnv } from "@/lib/env";
import { anonymisedCounts } from "@/lib/privacy/queries";
import { runRetentionAction } from "../actions";
import { ConsoleForm } from "../ConsoleForm";
import { number, when } from "../format";

export const metadata: Metadata = { title: "Privacy" };
export const dynamic = "force-dynamic";

const SUMMARY_WORDS: Record<string, string> = {
  messageBodies: "message bodies purged",
  smokeSignalMessages: "smoke signal messages purged",
  verificationResults: "verification results stripped of Yoti's evidence id",
  profileResults: "profiles stripped of Yoti's evidence id and estimated age",
  yotiNotifications: "Yoti notifications deleted",
  sandboxCopies: "sandbox emulator copies purged",
  signInSessions: "sign-in sessions forgotten, with their address and browser",
  accountLinks: "emailed links and requests forgotten (a week after they expired)",
  webhookHoursPruned: "hours of webhook counts forgotten",
};

export default async function PrivacyPage() {
  await requireAdminPage("/admin/privacy");
  const db = getDb();
  const env = getEnv();
  const run = lastRun(db, "retention");
  const counts = anonymisedCounts(db);
  const summary = run?.lastSummary ?? null;
  return (
    <>
      <h1>Privacy</h1>
      <section className="card" aria-labelledby="retention-heading">
        <h2 id="retention-heading">Retention</h2>
        <p>
          After {env.retentionDays} days (<code>RETENTION_DAYS</code>), raw Yoti results (evidence ids, estimated ages, notifications) and message bodies are purged, and sign-in sessions over by then are forgotten with the address and browser they recorded. Emailed links and the requests recorded with them (addresses, a sign-up&apos;s password hash) are forgotten a week after they expire.
          Kept: whether a member is verified, the method, the date and the status; each message&apos;s channel, status, segments and price. The job runs daily.
        </p>
        <dl className="facts">
          <dt>Last run</dt>
          <dd>{run?.lastFinishedAt ? `${when(run.lastFinishedAt)} (${run.lastTrigger === "schedule" ? "scheduled" : `started by ${run.lastTrigger}`})` : "Never"}</dd>
          <dt>Outcome</dt>
          <dd>{run?.lastFinishedAt ? (run.lastOk ? "Completed" : `Failed: ${String(summary?.error ?? "unknown error")}`) : "—"}</dd>
          {summary && run?.lastOk && (
            <>
              <dt>It purged</dt>
              <dd>
                <ul className="notes" aria-label="What the last retention run purged">
                  {Object.entries(SUMMARY_WORDS).map(([k, words]) =>
                    typeof summary[k] === "number" ? (
                      <li key={k}>
                        {number(summary[k] as number)} {words}
                      </li>
                    ) : null,
                  )}
                </ul>
              </dd>
            </>
          )}
        </dl>
        <ConsoleForm action={runRetentionAction} fields={[]} submit="Run retention now" label="Run retention now" />
      </section>
      <section className="card" aria-labelledby="deletion-heading">
        <h2 id="deletion-heading">Account deletion</h2>
        <p>
          A member deletes their account from their profile (with their password); an administrator can delete one from the member&apos;s page. Either way: pending
          messages are cancelled, verification data is deleted, smoke signals are kept only as anonymous counts, the member&apos;s messages stay for usage and cost
          with the recipient masked and nothing else personal, suppression entries stay (they protect the recipients), and every session ends. Members download
          all their data as JSON from their profile.
        </p>
        <h3>Kept of deleted members</h3>
        {counts.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <ul className="notes" aria-label="Smoke signals of deleted members">
            {counts.map((c) => (
              <li key={`${c.channel}-${c.status}`}>
                {number(c.n)} {c.channel} smoke signal(s), {c.status}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
