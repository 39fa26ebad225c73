// What a doctor check reports: one line each, PASS / WARN / FAIL, with what to do when it is not PASS.
export type CheckStatus = "PASS" | "WARN" | "FAIL";
export type CheckResult = { status: CheckStatus; name: string; detail: string };
export type Check = (env: import("@/lib/env").Env) => Promise<CheckResult[]>;

export const pass = (name: string, detail: string): CheckResult => ({ status: "PASS", name, detail });
export const warn = (name: string, detail: string): CheckResult => ({ status: "WARN", name, detail });
export const fail = (name: string, detail: string): CheckResult => ({ status: "FAIL", name, detail });
