// The Credentials section: each credential's age against the 90-day policy, which Twilio credential REST calls use,
// which auth token signed recent webhooks (so the old one can be retired safely), and which Yoti key is in use.
import "server-only";
import type { Db } from "@/db/client";
import type { CredentialUse } from "@/db/schema";
import { credentialAges } from "@/lib/credentials/age";
import { listCredentialUse } from "@/lib/credentials/queries";
import type { Env } from "@/lib/env";
import { flushWebhookReceipts } from "@/lib/webhooks/receipts";
import { signingTokenUse } from "@/lib/webhooks/queries";

export type TokenUse = { token: "TWILIO_AUTH_TOKEN" | "TWILIO_AUTH_TOKEN_SECONDARY"; configured: boolean; last24h: number; lastAt: Date | null };

const latest = (rows: CredentialUse[]) => rows.filter((r) => r.lastOkAt).sort((a, b) => b.lastOkAt!.getTime() - a.lastOkAt!.getTime())[0] ?? null;

export function credentialsOverview(db: Db, env: Env, now = new Date()) {
  flushWebhookReceipts();
  const use = listCredentialUse(db);
  const signing = signingTokenUse(db, new Date(now.getTime() - 24 * 3600_000));
  const tokenUse = (detail: "primary" | "secondary") => signing.find((s) => s.token === detail);
  const tokens: TokenUse[] = [
    { token: "TWILIO_AUTH_TOKEN", configured: true, last24h: tokenUse("primary")?.recent ?? 0, lastAt: tokenUse("primary")?.lastAt ?? null },
    { token: "TWILIO_AUTH_TOKEN_SECONDARY", configured: Boolean(env.twilio.authTokenSecondary), last24h: tokenUse("secondary")?.recent ?? 0, lastAt: tokenUse("secondary")?.lastAt ?? null },
  ];
  const [primary, secondary] = tokens as [TokenUse, TokenUse];
  let signingAdvice: string;
  if (!secondary.configured) {
    signingAdvice = "No changeover under way: Twilio's webhooks are checked against TWILIO_AUTH_TOKEN only.";
  } else if (secondary.last24h > 0 && primary.last24h === 0) {
    signingAdvice =
      "In the last 24 hours every webhook was signed with TWILIO_AUTH_TOKEN_SECONDARY: Twilio has promoted it. Put its value in TWILIO_AUTH_TOKEN, remove TWILIO_AUTH_TOKEN_SECONDARY, and restart: the old token is no longer used.";
  } else if (primary.last24h > 0 && secondary.last24h === 0) {
    signingAdvice = "Twilio still signs with TWILIO_AUTH_TOKEN: promote the secondary token in Twilio Console (Account > API keys & tokens), then watch this table turn.";
  } else if (primary.last24h > 0 && secondary.last24h > 0) {
    signingAdvice = "Both tokens signed webhooks in the last 24 hours: the promotion happened during that time. Wait until the primary's count stays at 0.";
  } else {
    signingAdvice = "No Twilio webhook arrived in the last 24 hours, so this table cannot tell which token Twilio signs with yet.";
  }
  const twilioRest = use.filter((u) => u.name.startsWith("TWILIO_"));
  const yoti = use.filter((u) => u.name.startsWith("YOTI_"));
  const restVia = env.twilio.apiKeySid ? `the API key ${env.twilio.apiKeySid.slice(0, 6)}…${env.twilio.apiKeySid.slice(-4)}` : "the account SID and auth token";
  return {
    ages: credentialAges(env, now.getTime()),
    tokens,
    signingAdvice,
    twilioRest: { via: restVia, usesApiKey: Boolean(env.twilio.apiKeySid), use: twilioRest, inUse: latest(twilioRest)?.name ?? null },
    yoti: {
      keys: [env.yoti.privateKeyPem ? "YOTI_PRIVATE_KEY" : "YOTI_API_KEY", ...(env.yoti.secondary ? [env.yoti.secondary.privateKeyPem ? "YOTI_PRIVATE_KEY_SECONDARY" : "YOTI_API_KEY_SECONDARY"] : [])],
      use: yoti,
      inUse: latest(yoti)?.name ?? null,
    },
  };
}
