// Changing operator settings from the console's forms: the form's text read into the setting's shape, checked against
// its schema (plain errors, nothing half-changed), stored with an audit entry in one transaction.
import "server-only";
import { immediate, type Db } from "@/db/client";
import type { Member } from "@/db/schema";
import { getSetting, putSetting, SETTINGS, type SettingKey, type SettingValue } from "@/lib/settings/settings";
import { forgetBudgetCache } from "@/lib/sms-budget/budget";
import { recordAudit, type AuditAction } from "./audit";
import { fieldProblems } from "./filters";
import type { ActionResult } from "./members";

/** A number as an operator types it ("25", "0.05", "1,000"); blank is null; anything else stays text for the schema to refuse. */
function numberOrText(v: FormDataEntryValue | null): number | string | null {
  if (typeof v !== "string" || v.trim() === "") return null;
  const cleaned = v.trim().replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : v.trim();
}

/** The form's fields in each setting's shape, before the schema checks them. */
const READERS: { [K in SettingKey]: (form: FormData) => unknown } = {
  sms_budget: (f) => ({ monthlyLimit: numberOrText(f.get("monthlyLimit")), stopAtLimit: f.get("stopAtLimit") === "on" }),
  alerts: (f) => ({ deliveryRatePercent: numberOrText(f.get("deliveryRatePercent")), passRatePercent: numberOrText(f.get("passRatePercent")) }),
  yoti_prices: (f) => ({
    currency: String(f.get("currency") ?? "").trim().toUpperCase(),
    AGE_ESTIMATION: numberOrText(f.get("AGE_ESTIMATION")) ?? 0,
    DIGITAL_ID: numberOrText(f.get("DIGITAL_ID")) ?? 0,
    DOC_SCAN: numberOrText(f.get("DOC_SCAN")) ?? 0,
  }),
};

export function updateSetting<K extends SettingKey>(db: Db, admin: Member, key: K, form: FormData): ActionResult {
  const parsed = SETTINGS[key].schema.safeParse(READERS[key](form));
  if (!parsed.success) {
    const fields = fieldProblems(parsed.error);
    return { ok: false, error: `${Object.values(fields)[0]} Nothing was changed.`, fields };
  }
  const value = parsed.data as SettingValue<K>;
  const changed = immediate(db, () => {
    const before = getSetting(db, key);
    if (JSON.stringify(before) === JSON.stringify(value)) return false;
    putSetting(db, key, value, admin.email);
    recordAudit(db, admin, { action: `settings.${key}` as AuditAction, targetType: "setting", targetId: key, targetLabel: SETTINGS[key].label, before, after: value });
    return true;
  });
  if (key === "sms_budget") forgetBudgetCache();
  return { ok: true, message: changed ? `${SETTINGS[key].label} saved.` : `${SETTINGS[key].label}: nothing changed.` };
}
