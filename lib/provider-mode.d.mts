// Types for lib/provider-mode.mjs (plain JavaScript so `npm start` runs it without a loader).
export const CREDENTIAL_VARIABLES: readonly string[];
export const LIVE_ONLY_VARIABLES: readonly string[];
export const DEFAULT_PORT: 3000;
export function providerMode(source: Record<string, string | undefined>): "sandbox" | "live";
export function listenHost(source: Record<string, string | undefined>): string;
