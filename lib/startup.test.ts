// The start banner: where the server listens, and a warning when HOST exposes the sandbox.
import { describe, expect, it } from "vitest";
import { loadEnv } from "@/lib/env";
import { tempDir } from "@/lib/testing/db";
import { banner } from "./startup";

describe("the npm start banner", () => {
  it("says the sandbox listens on this machine only", () => {
    const text = banner(loadEnv({ DATA_DIR: tempDir() }));
    expect(text).toContain("Listening: 127.0.0.1:3000 (this machine only)");
    expect(text).not.toContain("WARNING");
  });

  it("warns, naming what is exposed, when HOST opens the sandbox to other machines", () => {
    const text = banner(loadEnv({ DATA_DIR: tempDir(), HOST: "0.0.0.0" }));
    expect(text).toContain("Listening: 0.0.0.0:3000\n");
    expect(text).toContain("WARNING: HOST=0.0.0.0 exposes the SANDBOX to other machines");
    expect(text).toContain("/sandbox/mail");
  });

  it("claims no address under next start or next dev, which listen where their own options say", () => {
    const text = banner(loadEnv({ DATA_DIR: tempDir() }), { listening: false });
    expect(text).not.toContain("this machine only");
    expect(text).toContain("where next start / next dev were told");
  });
});
