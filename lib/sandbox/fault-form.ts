// The sandbox control page's side of faults: which fields an emulator's faults have and how a form (percentages,
// milliseconds, a phone number) becomes a setting, and the JSON control endpoint shared by both emulators.
import "server-only";
import { ApiError, api, parseJson } from "@/lib/http/api";
import { z } from "zod";
import type { FaultStore } from "./faults";
import { sandboxOnly } from "./guard";

export type FaultField = { key: string; label: string; kind: "share" | "ms" | "number"; hint?: string };

/** Form values -> a setting: shares are typed as percentages, blanks mean 0 (or unset for a number). */
export function formToSettings(fields: readonly FaultField[], form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = String(form.get(f.key) ?? "").trim();
    if (f.kind === "number") {
      if (raw) out[f.key] = raw.replace(/[\s()-]/g, "");
    } else if (raw === "") {
      out[f.key] = 0;
    } else {
      const n = Number(raw.replace(/%$/, ""));
      out[f.key] = f.kind === "share" ? (Number.isNaN(n) ? raw : n / 100) : Number.isNaN(n) ? raw : n;
    }
  }
  return out;
}

/** A setting as the form shows it (shares as percentages). */
export function settingsToForm(fields: readonly FaultField[], settings: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = settings[f.key];
    out[f.key] = v === undefined || v === null ? "" : f.kind === "share" ? String(Math.round(Number(v) * 10_000) / 100) : String(v);
  }
  return out;
}

/** The problems of a refused setting, labelled for a person ("Timeouts: must be between 0% and 100%"). */
export function describeProblems(fields: readonly FaultField[], problems: Record<string, string>): string[] {
  return Object.entries(problems).map(([key, message]) => {
    const field = fields.find((f) => f.key === key);
    const words = field?.kind === "share" ? message.replace("between 0 and 1 (or 0% and 100%)", "between 0% and 100%") : message;
    return `${field?.label ?? key}: ${words}`;
  });
}

const JSON_ONLY = new ApiError(415, "unsupported_media_type", "Send the settings as JSON (Content-Type: application/json).");

/**
 * The control endpoint (sandbox only, 404 in live mode): GET shows the settings, where they came from and what they
 * injected; PUT replaces them (JSON, validated: 400 naming each field, nothing changed); DELETE resets them to the
 * environment's. Only JSON is accepted, so a cross-site form cannot switch faults on.
 */
export function faultRoutes(store: () => FaultStore<Record<string, unknown>>) {
  const view = () => {
    const s = store();
    return Response.json({ settings: s.get(), source: s.source(), injected: s.injected() }, { headers: { "cache-control": "no-store" } });
  };
  return {
    GET: api(async () => sandboxOnly() ?? view()),
    PUT: api(async (request: Request) => {
      const hidden = sandboxOnly();
      if (hidden) return hidden;
      if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw JSON_ONLY;
      const result = store().set(await parseJson(request, z.record(z.string(), z.unknown())));
      if (!result.ok) {
        const list = Object.entries(result.fields).map(([k, v]) => `${k}: ${v}`).join("; ");
        throw new ApiError(400, "invalid_faults", `These fault settings are not valid (${list}); nothing was changed.`, result.fields);
      }
      return view();
    }),
    DELETE: api(async () => {
      const hidden = sandboxOnly();
      if (hidden) return hidden;
      store().reset();
      return view();
    }),
  };
}
