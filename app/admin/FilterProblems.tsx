// What was wrong with a console filter, in words; nothing is listed until it is fixed.
export function FilterProblems({ problems }: { problems: Record<string, string> | null }) {
  if (!problems) return null;
  return (
    <div className="alert error" role="alert">
      Nothing is shown until the filter is fixed: {Object.values(problems).join(" ")}
    </div>
  );
}
