"use client";
// The site's own error page for an unexpected server or rendering error: plain words, a retry, and the digest that
// lets an operator find the logged error (the error's message itself never reaches the browser in production).
import Link from "next/link";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card narrow" role="alert">
      <h1>Something went wrong</h1>
      <p>This page could not be shown because of a problem on our side. Please try again in a moment.</p>
      {error.digest && <p className="muted">If it keeps happening, tell us this reference: {error.digest}</p>}
      <div className="actions">
        <button type="button" onClick={() => reset()}>
          Try again
        </button>
        <Link className="button secondary" href="/">
          Go to the home page
        </Link>
      </div>
    </div>
  );
}
