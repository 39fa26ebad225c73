// Suppression lists: numbers that opted out of SMS (STOP) and mailboxes that unsubscribed from invitations; search,
// when and how each arrived, and removal with a reason (in the audit log).
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { firstValues } from "@/lib/console/filters";
import { requireAdminPage } from "@/lib/console/gate";
import { listEmail, listSms, searchTerms } from "@/lib/console/suppressions";
import { removeEmailSuppressionAction, removeSmsSuppressionAction } from "../actions";
import { ConsoleForm } from "../ConsoleForm";
import { FilterForm, FilterInput } from "../ui";
import { number, when } from "../format";

export const metadata: Metadata = { title: "Suppression lists" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SuppressionsPage({ searchParams }: Props) {
  await requireAdminPage("/admin/suppressions");
  const params = firstValues(await searchParams);
  const terms = searchTerms(params);
  const db = getDb();
  const sms = terms.ok && !terms.q?.includes("@") ? listSms(db, terms.phone, terms.page) : null;
  const email = terms.ok && (!terms.q || terms.q.includes("@") || !terms.phone) ? listEmail(db, terms.mailbox, terms.page) : null;
  return (
    <>
      <h1>Suppression lists</h1>
      <FilterForm label="Search the suppression lists" submit="Search">
        <FilterInput name="q" label="Number or email address" value={params.q} invalid={!terms.ok} hint="A number matches by its digits (the end is enough); an address by any part." />
      </FilterForm>
      {params.done === "sms_removed" && (
        <div className="alert ok" role="status">
          The number is off the SMS opt-out list. Twilio keeps its own opt-out until the number texts START: until then a send to it fails with 21610 and puts it
          back on this list.
        </div>
      )}
      {params.done === "email_removed" && (
        <div className="alert ok" role="status">
          The address is off the email unsubscribe list: invitations to it are accepted again.
        </div>
      )}
      {!terms.ok && (
        <div className="alert error" role="alert">
          {terms.problem}
        </div>
      )}
      {sms && (
        <section className="card" aria-labelledby="sms-heading">
          <h2 id="sms-heading">SMS opt-outs ({number(sms.total)})</h2>
          <p className="muted">
            Nothing is texted to these numbers. A number leaves the list when it texts START, or when removed here; Twilio keeps its own opt-out until the number texts
            START.
          </p>
          {sms.items.length === 0 ? (
            <p className="muted">No number {terms.ok && terms.q ? "matches" : "has opted out"}.</p>
          ) : (
            <ul className="notes" aria-label="SMS opt-outs">
              {sms.items.map((e) => (
                <li key={e.phone}>
                  <p>
                    <strong>
                      <code>{e.masked}</code>
                    </strong>{" "}
                    since {when(e.createdAt)}. {e.how}.
                  </p>
                  <details className="inline">
                    <summary>Remove {e.masked}</summary>
                    <ConsoleForm
                      action={removeSmsSuppressionAction}
                      label={`Remove ${e.masked} from the SMS opt-out list`}
                      submit="Remove from the list"
                      danger
                      fields={[
                        { kind: "hidden", name: "phone", value: e.phone },
                        { kind: "hidden", name: "q", value: params.q ?? "" },
                        { kind: "text", name: "reason", label: "Reason (for the audit log)", hint: "For example: the person asked by email to receive invitations again." },
                      ]}
                    />
                  </details>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {email && (
        <section className="card" aria-labelledby="email-heading">
          <h2 id="email-heading">Email unsubscribes ({number(email.total)})</h2>
          <p className="muted">Invitations to these mailboxes are refused before sending (name+tag@domain counts as name@domain).</p>
          {email.items.length === 0 ? (
            <p className="muted">No address {terms.ok && terms.q ? "matches" : "has unsubscribed"}.</p>
          ) : (
            <ul className="notes" aria-label="Email unsubscribes">
              {email.items.map((e) => (
                <li key={e.mailbox}>
                  <p>
                    <strong>{e.mailbox}</strong> since {when(e.createdAt)}. {e.how}.
                  </p>
                  <details className="inline">
                    <summary>Remove {e.mailbox}</summary>
                    <ConsoleForm
                      action={removeEmailSuppressionAction}
                      label={`Remove ${e.mailbox} from the email unsubscribe list`}
                      submit="Remove from the list"
                      danger
                      fields={[
                        { kind: "hidden", name: "mailbox", value: e.mailbox },
                        { kind: "hidden", name: "q", value: params.q ?? "" },
                        { kind: "text", name: "reason", label: "Reason (for the audit log)" },
                      ]}
                    />
                  </details>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
