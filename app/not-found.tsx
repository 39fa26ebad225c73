// The site's own "page not found": the site header and a way onward instead of Next's bare "404 | This page could not be found".
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="card narrow">
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <div className="actions">
        <Link className="button" href="/">
          Go to the home page
        </Link>
        <Link className="button secondary" href="/profile">
          Your profile
        </Link>
      </div>
    </div>
  );
}
