// Twilio's default opt-out handling, written once for the app and the emulator: the keywords it acts on and how a
// reply is matched (the whole message, trimmed, any case; a trailing "." or "!" is ignored: decision 021).

/** Keywords Twilio's default opt-out handling recognises (shared/reference/twilio.md). */
export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const OPT_IN_KEYWORDS = ["START", "YES", "UNSTOP"] as const;
export const HELP_KEYWORDS = ["HELP", "INFO"] as const;

/** Twilio's names for the three classes (its OptOutType field uses the same words). */
export type KeywordType = "STOP" | "START" | "HELP";

const CLASSES: [KeywordType, readonly string[]][] = [
  ["STOP", OPT_OUT_KEYWORDS],
  ["START", OPT_IN_KEYWORDS],
  ["HELP", HELP_KEYWORDS],
];

/** The keyword a reply is, if any, with its class. */
export function keywordOf(body: string): { type: KeywordType; keyword: string } | null {
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  for (const [type, words] of CLASSES) if (words.includes(word)) return { type, keyword: word };
  return null;
}
