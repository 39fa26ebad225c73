// Parsing what operators type into the console's filters and forms: blank means "not given", dates are UTC days, and
// every problem is one plain sentence per field.
import { z } from "zod";

export type FieldProblems = Record<string, string>;

/** Zod issues as one message per field (the first), keyed by the field's name. */
export function fieldProblems(error: z.ZodError): FieldProblems {
  const fields: FieldProblems = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
  return fields;
}

/** A text input: trimmed, and blank counts as not given. */
export function optionalText<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v), schema.optional());
}

const day = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} must be a date like 2026-12-01.`)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), `${what} is not a real date.`);

/** From and to as UTC days (both inclusive), given as `from` and `to`; yields `fromDate` and `untilDate` (exclusive). */
export const dateRange = z
  .object({ from: optionalText(day("From")), to: optionalText(day("To")) })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { path: ["to"], message: "To must be on or after From." })
  .transform((r) => ({
    ...r,
    fromDate: r.from ? new Date(`${r.from}T00:00:00Z`) : undefined,
    untilDate: r.to ? new Date(Date.parse(`${r.to}T00:00:00Z`) + 24 * 3600_000) : undefined,
  }));

/** A list's page number: 1 when not given, a whole number from 1. */
export const pageNumber = z.preprocess(
  (v) => (v === undefined || v === "" ? 1 : Number(v)),
  z.number({ error: "Page must be a number." }).int("Page must be a whole number.").min(1, "Page starts at 1.").max(100_000, "Page must be at most 100000."),
);

/** Query parameters as a page receives them, each reduced to its first value. */
export type QueryParams = Record<string, string | string[] | undefined>;
export const firstValues = (params: QueryParams): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
