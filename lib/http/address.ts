// IP addresses as the abuse limits and the configuration see them: CIDR ranges for trusted proxies, IPv6 clients
// grouped by /64, and which host names mean "this machine". Pure (no server-only): lib/env.ts uses it.
import { BlockList, isIP } from "node:net";

/** An IPv4/IPv6 address, or a CIDR range such as 10.0.0.0/8 or fd00::/8. */
export function isAddressOrRange(value: string): boolean {
  const [address, prefix, extra] = value.split("/");
  const family = isIP(address ?? "");
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A matcher for a list of addresses and CIDR ranges (IPv4-mapped IPv6 is read as IPv4 by the caller). */
export function addressMatcher(list: readonly string[]): (address: string) => boolean {
  if (list.length === 0) return () => false;
  const blocks = new BlockList();
  for (const entry of list) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, Number(prefix), type);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && blocks.check(address, family === 6 ? "ipv6" : "ipv4");
  };
}

/** Expands an IPv6 address to its eight 16-bit groups (no embedded IPv4 expected after normalisation). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<number>(Math.max(fill, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The key abuse limits count a client under: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber
 * usually holds a whole /64, so counting single addresses would give them 2^64 allowances).
 */
export function addressKey(address: string | null): string | null {
  if (!address) return null;
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** Whether a URL's host name is this machine: localhost (and *.localhost), 127.0.0.0/8 or ::1. */
export function isLocalHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return ipv6Groups(host)?.join(":") === "0:0:0:0:0:0:0:1";
  return false;
}
