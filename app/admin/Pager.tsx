// Previous / next links for a paged console list, keeping the filters.
import Link from "next/link";
import { withParams } from "./format";

export function Pager({ base, params, page, pages, label }: { base: string; params: Record<string, string | undefined>; page: number; pages: number; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      {page > 1 ? <Link href={`${base}${withParams(params, { page: String(page - 1) })}`}>← Newer</Link> : <span className="muted">← Newer</span>}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link href={`${base}${withParams(params, { page: String(page + 1) })}`}>Older →</Link> : <span className="muted">Older →</span>}
    </nav>
  );
}
