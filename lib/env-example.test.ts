import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { tempDir } from "@/lib/testing/db";
import { ENV_VARIABLES, loadEnv } from "./env";

const example = Object.fromEntries(
  fs
    .readFileSync(".env.example", "utf8")
    .split("\n")
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);

describe(".env.example", () => {
  it("lists every variable the app reads", () => {
    const missing = ENV_VARIABLES.filter((name) => !(name in example));
    expect(missing).toEqual([]);
  });

  it("copied as it is, starts the app in sandbox mode with every default (no placeholder passes for a live value)", () => {
    const env = loadEnv({ ...example, DATA_DIR: tempDir() });
    expect(env.mode).toBe("sandbox");
    expect(env.port).toBe(3000);
    expect(env.logLevel).toBe("info");
    expect(env.twilio.mps).toBe(1);
    expect(env.yoti.apiUrl).toBe("http://127.0.0.1:3000/sandbox/yoti/api/v1");
    expect(env.limits).toEqual({ perMemberPerDay: 20, perRecipientPerDay: 3, perIpPerDay: 100 });
    expect(env.listen).toEqual({ host: "127.0.0.1", exposed: false });
    expect(env.twilio.allowedCountries).toEqual(["GB"]);
    expect(env.smsCaps).toEqual({ daily: 500, perCountry: 50, countries: {} });
    expect(env.auth).toEqual({ failuresPerAccount: 10, failuresPerIp: 50, signUpsPerIpPerHour: 10, hashConcurrency: 8 });
  });
});
