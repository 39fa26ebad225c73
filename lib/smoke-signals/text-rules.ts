// What a member may put in a smoke signal's words: the sender name is one line of visible text (no control
// characters, no line breaks, no direction overrides that could disguise who is writing), and the message has no
// control characters but line breaks and tabs. Refused, not silently removed, so the member sees what changed.

// C0 and C1 controls, DEL; U+2028/U+2029 are line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const CONTROL_EXCEPT_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
// Bidirectional embeddings, overrides and isolates, and the directional marks: they can reorder what a reader sees
// (a name or a link written backwards). Also zero-width characters that hide inside a name.
const BIDI_OR_INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/** Why a sender name is not one line of plain text, or null when it is. */
export function senderNameProblem(name: string): string | null {
  if (CONTROL.test(name)) return "Write your name on one line, without line breaks or control characters.";
  if (BIDI_OR_INVISIBLE.test(name)) return "Your name contains invisible or text-direction characters; type it plainly.";
  return null;
}

/**
 * Why a message's characters are not acceptable, or null. Line breaks (\n, \r\n) and tabs are fine. `what` names
 * the text in the words (an announcement's title and text are checked alike).
 */
export function messageTextProblem(message: string, what = "The message"): string | null {
  if (CONTROL_EXCEPT_BREAKS.test(message) || /[\u2028\u2029]/u.test(message)) return `${what} contains control characters; remove them and try again.`;
  if (/[\u202a-\u202e\u2066-\u2069]/u.test(message)) return `${what} contains text-direction override characters; remove them and try again.`;
  return null;
}
