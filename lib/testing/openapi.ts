// Test helper: response validators from Twilio's own OpenAPI descriptions (lib/twilio/openapi, MIT), made strict
// (every documented field present, nothing extra), so the emulator's answers cannot drift from Twilio's contract.
import fs from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { expect } from "vitest";

type Json = Record<string, unknown>;
type Spec = {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: { "application/json"?: { schema: Json } } }> }>>;
  components: { schemas: Record<string, Json> };
};

/** OpenAPI 3.0 -> JSON Schema: nullable -> null allowed, refs -> our definitions, vendor and doc keywords dropped. */
function convert(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, id));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key.startsWith("x-") || key === "description" || key === "example" || key === "nullable" || key === "title" || key === "deprecated") continue;
    if (key === "$ref") out.$ref = String(value).replace("#/components/schemas/", `${id}#/definitions/`);
    else if (key === "properties") out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v, id)]));
    // Object "formats" (uri-map, phone-number-capabilities) are names, not string formats.
    else if (key === "format" && (node as Json).type === "object") continue;
    // Twilio's *_uri fields are relative to https://api.twilio.com in its real answers, so "uri" means a URI reference.
    else if (key === "format") out.format = value === "uri" ? "uri-reference" : value;
    else out[key] = convert(value, id);
  }
  const n = node as Json;
  if (n.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: "null" }] };
  }
  // Strict: the emulator must give every documented field and invent none.
  if (out.type === "object" && out.properties && Object.keys(out.properties as Json).length) {
    out.required = Object.keys(out.properties as Json);
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
ajv.addFormat("phone-number", /^\+[1-9]\d{6,14}$/);
ajv.addFormat("date-time-rfc-2822", /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
ajv.addFormat("currency", /^[A-Z]{3}$/);
ajv.addFormat("http-method", /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/);
const loaded = new Map<string, Spec>();

/** `file` in lib/twilio/openapi (e.g. "twilio_api_v2010.json"): a validator for one operation's response. */
export function openApi(file: string) {
  let spec = loaded.get(file);
  if (!spec) {
    spec = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "twilio", "openapi", file), "utf8")) as Spec;
    loaded.set(file, spec);
    ajv.addSchema({ $id: file, definitions: Object.fromEntries(Object.entries(spec.components.schemas).map(([k, v]) => [k, convert(v, file)])) });
  }
  const s = spec;
  return function responseValidator(specPath: string, method: string, status: string): ValidateFunction {
    const op = s.paths[specPath]?.[method];
    const schema = op?.responses[status]?.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`no ${status} schema for ${method.toUpperCase()} ${specPath}`);
    return ajv.compile(convert(schema, file) as Json);
  };
}

// Twilio's OpenAPI files describe no error body; this is the documented shape (twilio.com/docs/usage/twilios-response).
export const errorValidator = ajv.compile({
  type: "object",
  properties: { code: { type: "integer" }, message: { type: "string" }, more_info: { type: "string", format: "uri" }, status: { type: "integer" } },
  required: ["code", "message", "more_info", "status"],
  additionalProperties: false,
});

export function expectValid(validate: ValidateFunction, body: unknown) {
  const ok = validate(body);
  expect(ok ? [] : validate.errors).toEqual([]);
}
