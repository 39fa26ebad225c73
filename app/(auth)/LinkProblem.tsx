// The page for an emailed link that cannot be used: what happened to it, and where to go next.
import type { ReactNode } from "react";

export function LinkProblem({ message, next }: { message: string; next: ReactNode }) {
  return (
    <div className="card narrow">
      <h1>This link cannot be used</h1>
      <p className="alert error" role="alert">
        {message}
      </p>
      {next}
    </div>
  );
}
