// SQL expressions the query modules need that the builder has no function for, written once here so that dialect
// specifics (SQLite's date functions, LIKE's escape clause) stay in db/ for a second database to replace.
import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** `column` contains `text` (case-insensitive for ASCII, as SQLite's LIKE), with % and _ in `text` taken literally. */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} like ${pattern} escape '\\'`;
}

/** The UTC day (YYYY-MM-DD) of an epoch-milliseconds column. */
export function utcDayOf(column: AnyColumn): SQL<string> {
  return sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

/** The UTC day number (days since 1970-01-01) of an epoch-milliseconds column: integer arithmetic, far cheaper than date functions when grouping many rows. */
export function utcDayNumberOf(column: AnyColumn): SQL<number> {
  return sql<number>`(${column} / 86400000)`.mapWith(Number);
}
