// Email addresses as limits and the suppression list count them: one mailbox per person, whatever +tag they add.

/** name+tag@domain and Name@Domain are the mailbox name@domain (sub-addressing, RFC 5233, reaches the same inbox). */
export function mailboxKey(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}
