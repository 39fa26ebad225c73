// zod schemas of Yoti's Age Verification Service wire format: strict for what we send, tolerant of what we receive.
import { z } from "zod";

export const METHODS = ["AGE_ESTIMATION", "DIGITAL_ID", "DOC_SCAN"] as const;
export type Method = (typeof METHODS)[number];

/** Statuses Yoti documents; "additional states may be added", so parsing never fails on a new one. */
export const KNOWN_STATUSES = ["PENDING", "IN_PROGRESS", "COMPLETE", "FAIL", "ERROR", "CANCELLED", "EXPIRED"] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];
export type SessionStatus = KnownStatus | "UNKNOWN";

export const statusSchema = z
  .string()
  .transform((s): SessionStatus => ((KNOWN_STATUSES as readonly string[]).includes(s) ? (s as KnownStatus) : "UNKNOWN"));

const level = z.enum(["NONE", "PASSIVE"]);

export const createSessionRequestSchema = z.object({
  type: z.enum(["OVER", "UNDER", "AGE"]),
  ttl: z.number().int().min(60).max(31 * 24 * 3600),
  reference_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be ASCII letters, digits, _ . : or - (no spaces)"),
  age_estimation: z
    .object({ allowed: z.boolean(), threshold: z.number().int().min(1).max(99), level, retry_limit: z.number().int().min(0).max(10) })
    .optional(),
  digital_id: z
    .object({
      allowed: z.boolean(),
      threshold: z.number().int().min(1).max(99),
      age_estimation_allowed: z.boolean().optional(),
      age_estimation_threshold: z.number().int().min(1).max(99).optional(),
      level,
      retry_limit: z.number().int().min(0).max(10),
    })
    .refine(
      (d) => !d.age_estimation_allowed || d.age_estimation_threshold === undefined || (d.age_estimation_threshold - d.threshold >= 1 && d.age_estimation_threshold - d.threshold <= 20),
      { message: "age_estimation_threshold must be 1 to 20 above threshold", path: ["age_estimation_threshold"] },
    )
    .optional(),
  doc_scan: z
    .object({
      allowed: z.boolean(),
      threshold: z.number().int().min(1).max(99),
      authenticity: z.enum(["AUTO", "MANUAL"]),
      level,
      retry_limit: z.number().int().min(0).max(10),
    })
    .optional(),
  credit_card: z.object({ allowed: z.boolean() }).optional(),
  mobile: z.object({ allowed: z.boolean() }).optional(),
  callback: z.object({ auto: z.boolean(), url: z.url() }),
  notification_url: z.url().optional(),
  cancel_url: z.url().optional(),
  retry_enabled: z.boolean().optional(),
  resume_enabled: z.boolean().optional(),
  synchronous_checks: z.boolean().optional(),
});
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;

export const createSessionResponseSchema = z.looseObject({
  id: z.string().min(1),
  status: statusSchema,
  expires_at: z.string(),
});
export type CreateSessionResponse = z.infer<typeof createSessionResponseSchema>;

const methodConfig = z.looseObject({
  threshold: z.number().nullish(),
  allowed: z.boolean().nullish(),
  level: z.string().nullish(),
  authenticity: z.string().nullish(),
  attempts: z.number().nullish(),
  attempts_remaining: z.number().nullish(),
});

/** GET /sessions/{id}/result: the authoritative result. Unknown fields are kept, unknown statuses become UNKNOWN. */
export const sessionResultSchema = z.looseObject({
  id: z.string(),
  sdk_id: z.string().nullish(),
  type: z.string(),
  status: statusSchema,
  method: z.string().nullish(),
  age: z.number().nullish(),
  reference_id: z.string().nullish(),
  evidence_id: z.string().nullish(),
  created_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  age_estimation: methodConfig.nullish(),
  digital_id: methodConfig.nullish(),
  doc_scan: methodConfig.nullish(),
});
export type SessionResult = z.infer<typeof sessionResultSchema>;

export const responseConfigSchema = z.object({
  status: z.enum(["COMPLETE", "FAIL", "ERROR", "CANCELLED", "EXPIRED", "PENDING", "IN_PROGRESS"]),
  age: z.number().int().min(0).max(130).optional(),
  method: z.enum(METHODS).optional(),
});
export type ResponseConfig = z.infer<typeof responseConfigSchema>;

/** Yoti's notification webhook body. Order of keys matters for the signature, so the raw text is verified, not this. */
export const notificationSchema = z.looseObject({
  id: z.string().min(1),
  session_key: z.string().min(1),
  reference_id: z.string().nullish(),
  state: z.string(),
  method: z.string().nullish(),
  age: z.number().nullish(),
  timestamp: z.number(),
  notification_url: z.string().nullish(),
  evidence_id: z.string().nullish(),
  check_type: z.string().nullish(),
  sequence_number: z.number().nullish(),
  signature: z.string().min(1),
  error_code: z.string().nullish(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** Error bodies are not documented for /sessions: read the usual fields defensively. */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  context: z.unknown().optional(),
  error_code: z.string().optional(),
  code: z.string().optional(),
});
