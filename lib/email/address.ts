// Email addresses as limits and the suppression list count them: one mailbox per person, whatever +tag they add, and
// for Gmail whatever dots they put in their name.

/** Domains whose mailboxes ignore dots in the local part, and the one domain they share. */
const GMAIL = new Set(["gmail.com", "googlemail.com"]);

/**
 * name+tag@domain and Name@Domain are the mailbox name@domain (sub-addressing, RFC 5233, reaches the same inbox); at
 * Gmail, j.o.hn@googlemail.com is john@gmail.com too (Gmail ignores dots, and googlemail.com is gmail.com). Without
 * this, an unsubscribed address would get mail again with a dot added, and a per-recipient limit would count each
 * spelling apart.
 */
export function mailboxKey(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf("+");
  const name = plus > 0 ? local.slice(0, plus) : local;
  const domain = lower.slice(at + 1);
  return GMAIL.has(domain) ? `${name.replaceAll(".", "")}@gmail.com` : `${name}@${domain}`;
}
