// The member's notifications (account alerts and other news), newest first, with what is unread, a link to where each
// happened, and buttons to mark one or all read.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireMemberPage } from "@/lib/auth/session";
import { isAlertEvent, isSecurityAlert } from "@/lib/alerts/catalogue";
import { listNotifications, unreadCount } from "@/lib/notifications/notifications";
import { markAllReadAction, markReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NotificationsPage({ searchParams }: Props) {
  const member = await requireMemberPage("/notifications");
  const db = getDb();
  const before = (await searchParams).before;
  const { items, next } = listNotifications(db, member.id, { limit: 20, before: typeof before === "string" && before.length <= 64 ? before : null });
  const unread = unreadCount(db, member.id);
  return (
    <>
      <h1>Notifications</h1>
      <p className="lead">
        Alerts about your account and news about your invitations. Choose how you get each kind in{" "}
        <Link href="/profile/preferences">Alerts and preferences</Link>.
      </p>
      <section className="card" aria-labelledby="list-heading">
        <div className="actions spread">
          <h2 id="list-heading">{unread === 0 ? "Nothing unread" : unread === 1 ? "1 unread" : `${unread} unread`}</h2>
          {unread > 0 && (
            <form action={markAllReadAction}>
              <button type="submit" className="secondary">
                Mark all as read
              </button>
            </form>
          )}
        </div>
        {items.length === 0 ? (
          <p className="muted">{before ? "No older notifications." : "No notifications yet."}</p>
        ) : (
          <ul className="notification-list">
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? "read" : "unread"} aria-label={`${n.readAt ? "" : "Unread: "}${n.text}`}>
                <p>
                  {!n.readAt && <span className="badge ok">New</span>}{" "}
                  {isAlertEvent(n.event) && isSecurityAlert(n.event) && <span className="badge warn">Security</span>} {n.text}
                </p>
                {n.note && <p className="muted small">{n.note}</p>}
                <div className="actions small">
                  <span className="muted">{when.format(n.createdAt)} UTC</span>
                  {n.link && n.link.startsWith("/") && !n.link.startsWith("//") && (
                    <Link href={n.link} aria-label={`Details: ${n.text}`}>
                      Details
                    </Link>
                  )}
                  {!n.readAt && (
                    <form action={markReadAction}>
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className="link" aria-label={`Mark read: ${n.text}`}>
                        Mark read
                      </button>
                    </form>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {next && (
          <p>
            <Link href={`/notifications?before=${encodeURIComponent(next)}`}>Older notifications</Link>
          </p>
        )}
      </section>
    </>
  );
}
