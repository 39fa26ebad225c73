// The codebase's shape, checked: dependencies point one way (app -> domain -> provider -> db), production code never
// imports test helpers, no import cycles, provider wire formats stay in the provider's folder, no db.$client outside
// db/, and no hand-written globalThis singletons.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const files = (dir: string): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") || e.name === "migrations" ? [] : files(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith("lib/testing/") || f.includes("/fixtures/");
const production = [...files("app"), ...files("lib"), ...files("db"), "proxy.ts", "instrumentation.ts"].filter((f) => !isTest(f));

/** The project files a module imports (static and dynamic), resolved to paths. */
function importsOf(file: string): string[] {
  const source = fs.readFileSync(path.join(ROOT, file), "utf8");
  // Type-only imports vanish at run time: they make no dependency a cycle could break.
  const runtime = source.replace(/^import type [^;]+;$/gm, "");
  const specs = [...runtime.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
  const out: string[] = [];
  for (const spec of specs) {
    const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.join(path.dirname(file), spec) : null;
    if (base === null) continue;
    const found = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((p) => fs.existsSync(path.join(ROOT, p)) && fs.statSync(path.join(ROOT, p)).isFile());
    if (found) out.push(path.normalize(found));
  }
  return out;
}
const graph = new Map(production.map((f) => [f, importsOf(f)]));

const PROVIDERS = ["lib/yoti/", "lib/twilio/", "lib/email/"];
const DOMAINS = ["lib/accounts/", "lib/account-messages/", "lib/phone-codes/", "lib/phone-verification/", "lib/two-factor/", "lib/alerts/", "lib/announcements/", "lib/api-tokens/", "lib/auth/", "lib/verification/", "lib/smoke-signals/", "lib/notifications/", "lib/outbox/", "lib/senders.ts", "lib/console/", "lib/privacy/", "lib/sms-budget/", "lib/settings/"];
const layer = (f: string) =>
  f.startsWith("app/") || f === "proxy.ts" || f === "instrumentation.ts" ? "app" : f.startsWith("db/") ? "db" : PROVIDERS.some((p) => f.startsWith(p)) ? "provider" : DOMAINS.some((p) => f.startsWith(p)) ? "domain" : "shared";

describe("layers", () => {
  it("point one way: db imports no lib module but the configuration; providers import no domain; nothing in lib imports app", () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      for (const dep of deps) {
        const [from, to] = [layer(file), layer(dep)];
        if (from === "db" && to !== "db" && dep !== "lib/env.ts" && dep !== "lib/http/address.ts" && !dep.startsWith("lib/sandbox/") && !dep.startsWith("lib/twilio/emulator/faults") && !dep.startsWith("lib/yoti/emulator/faults") && dep !== "lib/twilio/sms.ts" && dep !== "lib/http/fields.ts") wrong.push(`${file} -> ${dep}`);
        if (from === "provider" && to === "domain") wrong.push(`${file} -> ${dep}`);
        if (from !== "app" && to === "app") wrong.push(`${file} -> ${dep}`);
        if (file.startsWith("lib/outbox/") && to === "domain" && !dep.startsWith("lib/outbox/")) wrong.push(`${file} -> ${dep} (the outbox knows no domain)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("production code imports no test helper", () => {
    const wrong = [...graph].flatMap(([file, deps]) => deps.filter(isTest).map((d) => `${file} -> ${d}`));
    expect(wrong).toEqual([]);
  });

  it("have no import cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const d of graph.get(f) ?? []) visit(d, [...trail, f]);
      state.set(f, "done");
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe("each kind of knowledge in its one place", () => {
  const text = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

  it("Twilio's field names and TwiML are read and written only in lib/twilio", () => {
    const wire = /\b(MessageSid|SmsSid|SmsStatus|MessageStatus|ErrorCode|OptOutType)\b|<Response\/>|<\?xml/;
    expect(production.filter((f) => !f.startsWith("lib/twilio/") && wire.test(text(f)))).toEqual([]);
  });

  it("only db/ touches the SQLite driver (db.$client), and singletons go through remember()", () => {
    expect(production.filter((f) => !f.startsWith("db/") && /\$client/.test(text(f)))).toEqual([]);
    expect(production.filter((f) => /globalThis/.test(text(f)))).toEqual([]);
  });
});
