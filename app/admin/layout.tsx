// The operator console's frame: admins only (checked here and again by every page and action), its section links, and
// any alert that is firing.
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { currentAlerts } from "@/lib/console/alerts";
import { requireAdminPage } from "@/lib/console/gate";
import { ConsoleNav } from "./ConsoleNav";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requireAdminPage("/admin");
  const alerts = currentAlerts(getDb());
  return (
    <>
      <ConsoleNav />
      {alerts.length > 0 && (
        <section className="alert error" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Alerts</h2>
          <ul className="notes">
            {alerts.map((a) => (
              <li key={a.key}>{a.detail}</li>
            ))}
          </ul>
        </section>
      )}
      {children}
    </>
  );
}
