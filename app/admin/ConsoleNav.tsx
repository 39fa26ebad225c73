"use client";
// The console's section links, the current one marked for sight and for screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";

export const SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/integrations", label: "Integrations" },
  { href: "/admin/messages", label: "Messages" },
  { href: "/admin/verifications", label: "Verifications" },
  { href: "/admin/usage", label: "Usage and budget" },
  { href: "/admin/suppressions", label: "Suppression lists" },
  { href: "/admin/members", label: "Members" },
  { href: "/admin/announcements", label: "Announcements" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/credentials", label: "Credentials" },
  { href: "/admin/privacy", label: "Privacy" },
] as const;

export function ConsoleNav() {
  const path = usePathname();
  const current = (href: string) => (href === "/admin" ? path === "/admin" : path === href || path.startsWith(`${href}/`));
  return (
    <nav className="console-nav" aria-label="Console">
      {SECTIONS.map((s) => (
        <Link key={s.href} href={s.href} aria-current={current(s.href) ? "page" : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
