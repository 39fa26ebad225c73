// The Twilio emulator's control page (sandbox mode only): the account and sender it plays, its queue and limits, and
// its faults on demand. The messages themselves are on the sandbox phone.
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { TWILIO_STATUS_CALLBACK_PATH } from "@/lib/http/webhook-paths";
import { currentFaults } from "@/lib/sandbox/fault-actions";
import { sandboxPageOnly } from "@/lib/sandbox/guard";
import { getTwilioEmulator } from "@/lib/twilio/runtime";
import { TWILIO_FAULT_FIELDS } from "@/lib/twilio/emulator/faults";
import { queueStats } from "@/lib/twilio/emulator/store";
import { FaultsPanel } from "../FaultsPanel";
import { twilioFaultsAction } from "./actions";

export const metadata: Metadata = { title: "Twilio emulator" };
export const dynamic = "force-dynamic";

export default function TwilioEmulatorPage() {
  sandboxPageOnly();
  const { context } = getTwilioEmulator();
  const queue = queueStats(getDb());
  return (
    <>
      <h1>Twilio emulator</h1>
      <p className="lead">
        The local stand-in for Twilio that the app talks to in sandbox mode, over real HTTP with the official SDK. Texts it sends arrive on the{" "}
        <Link href="/sandbox/phone">sandbox phone</Link>.
      </p>
      <section className="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Account and sender</h2>
        <dl className="facts">
          <dt>Account SID</dt>
          <dd>
            <code>{context.accountSid}</code>
          </dd>
          <dt>Sender</dt>
          <dd>{context.phoneNumbers[0]}</dd>
          <dt>Sender throughput</dt>
          <dd>
            {context.mps} message{context.mps === 1 ? "" : "s"} per second (TWILIO_MPS). Beyond it messages wait in the sender&apos;s queue, as at Twilio; none is
            refused for the rate.
          </dd>
          <dt>Queue</dt>
          <dd>
            {queue.waiting} waiting{queue.waiting ? `, the last leaves in about ${queue.drainSeconds} s` : ""}. A message that would wait longer than{" "}
            {Math.round(context.maxQueueWaitMs / 60_000)} minutes is refused with 21611 (SANDBOX_TWILIO_MAX_QUEUE_SECONDS).
          </dd>
          <dt>Concurrent requests</dt>
          <dd>At most {context.maxConcurrentRequests} at once; beyond that 429 / 20429, not processed (SANDBOX_TWILIO_MAX_CONCURRENT_REQUESTS).</dd>
          <dt>Status callbacks</dt>
          <dd>Every status after the first (none for queued), signed with the auth token, to {getEnv().appUrl}
            {TWILIO_STATUS_CALLBACK_PATH}.</dd>
        </dl>
      </section>
      <FaultsPanel
        emulator="Twilio"
        envVariable="SANDBOX_TWILIO_FAULTS"
        endpoint="/sandbox/twilio/faults"
        fields={TWILIO_FAULT_FIELDS}
        initial={currentFaults(TWILIO_FAULT_FIELDS, context.faults)}
        source={context.faults.source()}
        injected={context.faults.injected()}
        action={twilioFaultsAction}
      />
    </>
  );
}
