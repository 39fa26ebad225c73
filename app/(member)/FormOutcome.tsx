// What a member form's server action answered: an error announced at once, or a confirmation read politely.
export function FormOutcome({ error, ok }: { error?: string; ok?: string }) {
  return (
    <>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {ok && (
        <div className="alert ok" role="status">
          {ok}
        </div>
      )}
    </>
  );
}
