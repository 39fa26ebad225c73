// Zod's issues as {field: message} (the first message per field), the one shape every form and API shows.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** `fallback` names problems that belong to no field (the whole body or form). */
export function fieldErrors(error: z.ZodError, fallback = "body"): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) fields[issue.path.join(".") || fallback] ??= issue.message;
  return fields;
}
