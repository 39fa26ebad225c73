import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { appendPeer, withPeerAddress } from "@/scripts/serve.mjs";
import { clientIp } from "./client-ip";

const req = (xff?: string) => new Request("http://127.0.0.1/api/accounts/smoke-signals/send", { headers: xff ? { "x-forwarded-for": xff } : {} });
const LOCAL = ["127.0.0.1", "::1"];

describe("clientIp", () => {
  it("is the address that connected when no trusted proxy is in front, whatever the client wrote", () => {
    expect(clientIp(req("6.6.6.6, 203.0.113.9"), LOCAL)).toBe("203.0.113.9");
    expect(clientIp(req("203.0.113.9"), LOCAL)).toBe("203.0.113.9");
  });

  it("believes only what trusted proxies appended", () => {
    // Client forged 6.6.6.6; the proxy on this machine appended the real 198.51.100.7; serve.mjs appended the proxy.
    expect(clientIp(req("6.6.6.6, 198.51.100.7, 127.0.0.1"), LOCAL)).toBe("198.51.100.7");
    expect(clientIp(req("6.6.6.6, 198.51.100.7, 10.0.0.2"), ["10.0.0.2"])).toBe("198.51.100.7");
    expect(clientIp(req("6.6.6.6, 198.51.100.7, 10.0.0.2"), [])).toBe("10.0.0.2");
  });

  it("trusts proxies by CIDR range, IPv4 and IPv6", () => {
    expect(clientIp(req("6.6.6.6, 198.51.100.7, 10.1.2.3, 10.200.0.9"), ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientIp(req("2001:db8::7, fd00::1:2"), ["fd00::/8"])).toBe("2001:db8::7");
    expect(clientIp(req("198.51.100.7, 11.0.0.1"), ["10.0.0.0/8"])).toBe("11.0.0.1");
    expect(clientIp(req("198.51.100.7, ::ffff:10.0.0.2"), ["10.0.0.0/8"])).toBe("198.51.100.7");
  });

  it("reads mapped IPv4, ports and brackets as the same address, and a request from this machine as itself", () => {
    expect(clientIp(req("::ffff:203.0.113.9"), LOCAL)).toBe("203.0.113.9");
    expect(clientIp(req("203.0.113.9:51234, 127.0.0.1"), LOCAL)).toBe("203.0.113.9");
    expect(clientIp(req("[2001:DB8::1]:443, ::1"), LOCAL)).toBe("2001:db8::1");
    expect(clientIp(req("127.0.0.1"), LOCAL)).toBe("127.0.0.1");
    expect(clientIp(req(), LOCAL)).toBeNull();
  });
});

describe("scripts/serve.mjs", () => {
  it("appends the socket peer to X-Forwarded-For", () => {
    expect(appendPeer(undefined, "::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(appendPeer("6.6.6.6", "203.0.113.9")).toBe("6.6.6.6, 203.0.113.9");
    expect(appendPeer(["1.1.1.1", "2.2.2.2"], "::1")).toBe("1.1.1.1, 2.2.2.2, ::1");
  });

  it("over a real socket, a forged X-Forwarded-For cannot choose the address the per-IP limit counts", async () => {
    const seen: string[] = [];
    const server = http.createServer(
      withPeerAddress((incoming, res) => {
        seen.push(clientIp(req(String(incoming.headers["x-forwarded-for"] ?? "")), [])!);
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    for (const forged of ["6.6.6.6", "7.7.7.7, 8.8.8.8"]) await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": forged } });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
