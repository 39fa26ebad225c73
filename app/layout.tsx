import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "./(auth)/actions";
import { currentMember } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Select Exposure", template: "%s · Select Exposure" },
  description: "Select Exposure member platform",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const member = await currentMember();
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
