import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "./(auth)/actions";
import { currentMember } from "@/lib/auth/session";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { unreadCount } from "@/lib/notifications/notifications";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Select Exposure", template: "%s · Select Exposure" },
  description: "Select Exposure member platform",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const member = await currentMember();
  const unread = member ? unreadCount(getDb(), member.id) : 0;
  const sandbox = getEnv().mode === "sandbox";
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="inner">
            <Link href="/" className="brand">
              Select <span>Exposure</span>
            </Link>
            {sandbox && (
              <span className="mode-badge" title="No provider credentials are set: Yoti, Twilio and email are local emulators.">
                Sandbox
              </span>
            )}
            <nav className="site-nav" aria-label="Main">
              {member ? (
                <>
                  <Link href="/smoke-signals">Smoke signals</Link>
                  <Link href="/profile">Profile</Link>
                  <Link href="/members">Members area</Link>
                  {member.role === "admin" && <Link href="/admin">Console</Link>}
                  <Link href="/notifications" className="bell" aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}>
                    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                      <path
                        fill="currentColor"
                        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                      />
                    </svg>
                    {unread > 0 && (
                      <span className="count" aria-hidden="true">
                        {unread > 99 ? "99+" : unread}
                      </span>
                    )}
                  </Link>
                  <form action={signOutAction}>
                    <button type="submit" className="link">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <Link href="/signin">Sign in</Link>
                  <Link href="/signup">Sign up</Link>
                </>
              )}
            </nav>
          </div>
        </header>
        <main id="main">{children}</main>
        <footer className="site-footer">Select Exposure · members only · 18+</footer>
      </body>
    </html>
  );
}
