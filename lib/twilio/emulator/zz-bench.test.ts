import { it } from "vitest";
import { testDb } from "@/lib/testing/db";
import { servedEmulator, webhookReceiver } from "../testing";
import { TokenBuckets } from "./rate";

it("bench", async () => {
  const twilio = await servedEmulator(testDb(), { mps: 200, delays: { acceptedMs: 150, queuedMs: 500, sentMs: 1200 } });
  const receiver = await webhookReceiver(twilio.config.authToken);
  const sdk = twilio.client().sdk;
  const pace = new TokenBuckets(200);
  let n429 = 0, ok = 0, other = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < Number(process.env.N || 2000); i++) {
    for (;;) { const t = pace.take("x"); if (t.ok) break; await new Promise((r) => setTimeout(r, t.retryAfterMs)); }
    const t1 = performance.now();
    inflight.push(sdk.messages.create({ from: "+15005550006", to: `+4474001${String(i).padStart(5, "0")}`, body: "bench", ...(process.env.NOCB ? {} : { statusCallback: `${receiver.url}/cb` }) }).then(() => { ok++; }, (e) => { if (e.code === 20429) n429++; else { other++; if (other < 3) console.log("ERR", i, (performance.now()-t1).toFixed(0), e.code, e.message, e.cause); } }));
  }
  await Promise.all(inflight);
  const secs = (performance.now() - start) / 1000;
  console.log(`sent ${ok} in ${secs.toFixed(2)}s = ${(ok / secs).toFixed(1)}/s, 429s ${n429}, other ${other}`);
  await twilio.close(); await receiver.close();
}, 120000);
