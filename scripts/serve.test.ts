import { spawnSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { tempDir } from "@/lib/testing/db";
import { keepIdleConnections } from "./serve.mjs";

describe("scripts/serve.mjs", () => {
  it("stops with a plain sentence when the port is taken, before the app (and its outbox dispatcher) starts", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as net.AddressInfo;
    // A folder with no build: had the app started first, it would fail on the missing build instead.
    const run = spawnSync(process.execPath, ["scripts/serve.mjs"], {
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: tempDir(), NEXT_DIST_DIR: ".next-absent-for-test" },
      encoding: "utf8",
      timeout: 20_000,
    });
    busy.close();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  });

  it("keeps idle connections longer than the clients and proxies in front of it (60 s), so they close them first", () => {
    const server = http.createServer();
    expect(server.keepAliveTimeout).toBe(5_000);
    keepIdleConnections(server);
    expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });
});
