import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { Dispatcher, defaultPorts } from "@/lib/outbox/dispatcher";
import { testDb, tempDir } from "@/lib/testing/db";
import { until } from "@/lib/testing/wait";
import { makeMember, queueSignal, signalRow, TEST_ENV } from "@/lib/testing/messaging";
import { listCaughtMail } from "./catcher";
import { MailError } from "./errors";
import { sendMail } from "./mailer";

type Received = { from: string; to: string[]; raw: string };

let sink: ChildProcess;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  sink = spawn(process.execPath, ["--import", "tsx", path.join("lib", "testing", "smtp-sink.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: sink.stdout! });
  port = await new Promise<number>((resolve) => {
    lines.on("line", (line) => {
      const msg = JSON.parse(line);
      if (msg.port) resolve(msg.port);
      else received.push(msg);
    });
  });
});
afterAll(() => {
  sink?.kill("SIGTERM");
});

function useEnv(vars: Record<string, string | undefined>) {
  for (const key of ["SMTP_URL", "MAIL_FROM"]) delete process.env[key];
  Object.assign(process.env, { DATA_DIR: tempDir(), ...vars });
  resetEnvForTests();
}

describe("email over SMTP (a real SMTP server in another process)", () => {
  beforeEach(() => useEnv({ SMTP_URL: `smtp://tester:secret@127.0.0.1:${port}`, MAIL_FROM: "Select Exposure <no-reply@example.com>" }));

  it("delivers a message with the configured From to the SMTP server", async () => {
    const receipt = await sendMail(testDb(), { to: "friend@example.com", subject: "Hello", text: "Join us: https://x/join/abc" });
    expect(receipt.caught).toBe(false);
    const got = await until(() => received.find((r) => r.to.includes("friend@example.com")));
    expect(got.from).toBe("no-reply@example.com");
    expect(got.raw).toContain("Subject: Hello");
    expect(got.raw).toContain("https://x/join/abc");
  });

  it("an email smoke signal goes through the outbox to the SMTP server and becomes Delivered", async () => {
    const db = testDb();
    const signal = queueSignal(db, makeMember(db), { channel: "Email", to: "invitee@example.com" });
    const d = new Dispatcher({ db, mps: 10, ports: defaultPorts(db), pollMs: 10 }).start();
    await d.drained();
    d.stop();
    const got = await until(() => received.find((r) => r.to.includes("invitee@example.com")));
    expect(got.raw).toContain(`/join/${signal.joinToken}`);
    expect(signalRow(db, signal.id)).toMatchObject({ status: "Delivered", providerStatus: "accepted by mail server" });
  });

  it("an invitation reaches the SMTP server with RFC 8058 List-Unsubscribe headers pointing at its own one-click link", async () => {
    const db = testDb();
    const { getEnv } = await import("@/lib/env");
    const appUrl = getEnv().appUrl;
    queueSignal(db, makeMember(db), { channel: "Email", to: "unsub-me@example.com" }, { ...TEST_ENV, appUrl });
    const d = new Dispatcher({ db, mps: 10, ports: defaultPorts(db), pollMs: 10 }).start();
    await d.drained();
    d.stop();
    const got = await until(() => received.find((r) => r.to.includes("unsub-me@example.com")));
    const token = /\/unsubscribe\/([A-Za-z0-9_-]{22})/.exec(got.raw)![1];
    const unfolded = `\r\n${got.raw.replace(/\r\n[ \t]+/g, " ")}`; // long header lines are folded on the wire
    expect(unfolded).toContain(`\r\nList-Unsubscribe: <${appUrl}/api/email/unsubscribe/${token}>\r\n`);
    expect(unfolded).toContain("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    // Mail that is not an invitation (no unsubscribe link of its own) carries no such header.
    await sendMail(db, { to: "plain@example.com", subject: "Alert", text: "Someone joined." });
    expect((await until(() => received.find((r) => r.to.includes("plain@example.com")))).raw).not.toContain("List-Unsubscribe");
  });

  it("classifies refusals: a wrong password and a 550 are final, a 451 is retried", async () => {
    useEnv({ SMTP_URL: `smtp://tester:wrong@127.0.0.1:${port}`, MAIL_FROM: "a@example.com" });
    const auth = await sendMail(testDb(), { to: "x@example.com", subject: "s", text: "t" }).catch((e) => e);
    expect(auth).toBeInstanceOf(MailError);
    expect(auth).toMatchObject({ retryable: false });
    expect(auth.operatorMessage).toMatch(/SMTP login failed/);
    expect(auth.operatorMessage).not.toContain("wrong");

    useEnv({ SMTP_URL: `smtp://tester:secret@127.0.0.1:${port}`, MAIL_FROM: "a@example.com" });
    const refused = await sendMail(testDb(), { to: "nobody@refused.example", subject: "s", text: "t" }).catch((e) => e);
    expect(refused).toMatchObject({ retryable: false, responseCode: 550 });
    const busy = await sendMail(testDb(), { to: "someone@busy.example", subject: "s", text: "t" }).catch((e) => e);
    expect(busy).toMatchObject({ retryable: true, responseCode: 451 });
  });

  it("an unreachable server is retryable and says to check SMTP_URL", async () => {
    useEnv({ SMTP_URL: "smtp://tester:secret@127.0.0.1:9", MAIL_FROM: "a@example.com" });
    const e = await sendMail(testDb(), { to: "x@example.com", subject: "s", text: "t" }).catch((err) => err);
    expect(e).toMatchObject({ retryable: true });
    expect(e.operatorMessage).toMatch(/SMTP_URL/);
  });
});

describe("the sandbox mail catcher", () => {
  it("without SMTP_URL in sandbox mode, mail is caught in the database instead of sent", async () => {
    useEnv({});
    const db = testDb();
    const receipt = await sendMail(db, { to: "friend@example.com", subject: "Caught", text: "hello" });
    expect(receipt.caught).toBe(true);
    expect(listCaughtMail(db, { to: "friend@example.com" })).toMatchObject([{ subject: "Caught", text: "hello" }]);
  });
});

describe("the doctor's SMTP check", () => {
  it("passes when the server accepts the login and fails with the reason, never the password, when it does not", async () => {
    const { mailChecks } = await import("@/lib/doctor/mail");
    const { loadEnv } = await import("@/lib/env");
    const env = (url: string) => ({ ...loadEnv({ DATA_DIR: tempDir() }), mail: { smtpUrl: url, from: "a@example.com" } });
    expect(await mailChecks(env(`smtp://tester:secret@127.0.0.1:${port}`))).toMatchObject([{ status: "PASS" }]);
    const [bad] = await mailChecks(env(`smtp://tester:hunter2@127.0.0.1:${port}`));
    expect(bad).toMatchObject({ status: "FAIL" });
    expect(bad!.detail).toMatch(/login failed/);
    expect(bad!.detail).not.toContain("hunter2");
  });
});
