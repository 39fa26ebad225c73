// Types for scripts/build-if-needed.mjs (plain JavaScript so `npm start` runs it without a loader).
export const APP_INPUTS: readonly string[];
export function sourceDigests(dir: string, inputs: readonly string[]): { stats: string; contents: () => string };
export function buildIfNeeded(options?: { dir?: string; inputs?: readonly string[]; distDir?: string; beforeBuild?: () => void }): boolean;
