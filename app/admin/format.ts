// How the console writes dates, times and counts: always UTC, so operators in different places read the same thing.
export const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
export const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export const when = (d: Date | null | undefined) => (d ? `${dateTime.format(d)} UTC` : "—");
export const whenShort = (d: Date | null | undefined) => (d ? `${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" }).format(d)}` : "—");
export const number = (n: number) => n.toLocaleString("en-GB");
export const percent = (r: number | null) => (r === null ? "—" : `${Math.round(r * 1000) / 10}%`);

/** The query string of `params` with `changes` applied (undefined removes), for pager and export links. */
export function withParams(params: Record<string, string | undefined>, changes: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}
