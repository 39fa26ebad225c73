import { describe, expect, it } from "vitest";
import { addressKey, addressMatcher, isAddressOrRange, isLocalHostname } from "./address";

describe("client addresses for abuse limits", () => {
  it("count an IPv6 client by its /64, an IPv4 client by its address", () => {
    expect(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:DB8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey(null)).toBeNull();
  });

  it("match addresses and CIDR ranges", () => {
    const trusted = addressMatcher(["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
    expect(["127.0.0.1", "10.9.8.7", "fd12::1"].map(trusted)).toEqual([true, true, true]);
    expect(["127.0.0.2", "11.0.0.1", "fe80::1", "not an ip"].map(trusted)).toEqual([false, false, false, false]);
    expect(addressMatcher([])("127.0.0.1")).toBe(false);
    expect(["10.0.0.0/8", "::1", "fd00::/8", "1.2.3.4"].every(isAddressOrRange)).toBe(true);
    expect(["10.0.0.0/33", "host", "1.2.3.4/x", "::/129"].some(isAddressOrRange)).toBe(false);
  });

  it("know which host names are this machine", () => {
    expect(["localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "0:0:0:0:0:0:0:1"].every(isLocalHostname)).toBe(true);
    expect(["members.example.com", "0.0.0.0", "10.0.0.1", "::", "localhost.example.com"].some(isLocalHostname)).toBe(false);
  });
});
