// A member's own data as one JSON document (the profile's "Download my data"): account, profile, verification sessions
// and results as stored, smoke signals with their timelines, notifications, API token metadata, consents (announcement
// consents with their history), preferences, sign-in sessions and the messages sent for them. Secrets are left out:
// the password hash, token hashes, and the invitee's join and unsubscribe links (keys that act for the invitee), so a
// sent message's body is not included: what the member wrote is in its smoke signal.
import "server-only";
import type { Db } from "@/db/client";
import { memberRecords } from "./queries";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export type MemberExport = ReturnType<typeof shape>;

function shape(r: NonNullable<ReturnType<typeof memberRecords>>, now: Date) {
  const eventsBySignal = new Map<string, typeof r.smokeSignalEvents>();
  for (const e of r.smokeSignalEvents) {
    const list = eventsBySignal.get(e.signalId);
    if (list) list.push(e);
    else eventsBySignal.set(e.signalId, [e]);
  }
  return {
    format: "select-exposure-member-export/1",
    exportedAt: now.toISOString(),
    account: { id: r.member.id, email: r.member.email, role: r.member.role, createdAt: iso(r.member.createdAt), disabledAt: iso(r.member.disabledAt) },
    profile: r.profile && {
      screenName: r.profile.screenName,
      phone: r.profile.phone,
      phoneVerifiedAt: iso(r.profile.phoneVerifiedAt),
      ageVerified: r.profile.yotiVerified,
      isOver18: r.profile.isOver18,
      verifiedAt: iso(r.profile.yotiVerificationDate),
      verificationResult: r.profile.yotiVerificationData,
    },
    verification: {
      sessions: r.verificationSessions.map((s) => ({
        id: s.id,
        status: s.status,
        method: s.method,
        request: s.request,
        evidenceId: s.evidenceId,
        rejectedReason: s.rejectedReason,
        history: s.history,
        createdAt: iso(s.createdAt),
        finishedAt: iso(s.finishedAt),
        expiresAt: iso(s.expiresAt),
        resultPurgedAt: iso(s.rawPurgedAt),
      })),
      notifications: r.verificationNotifications.map((n) => ({ sessionId: n.sessionId, state: n.state, sentAt: new Date(n.sentAt * 1000).toISOString(), receivedAt: iso(n.receivedAt) })),
    },
    smokeSignals: r.smokeSignals.map((s) => ({
      id: s.id,
      channel: s.channel,
      recipient: s.recipient,
      message: s.message,
      senderName: s.senderName,
      status: s.status,
      reason: s.reason,
      errorCode: s.errorCode,
      joined: s.joinedAt !== null,
      joinedAt: iso(s.joinedAt),
      createdAt: iso(s.createdAt),
      timeline: (eventsBySignal.get(s.id) ?? []).map((e) => ({ at: iso(e.at), status: e.status, providerStatus: e.providerStatus, errorCode: e.errorCode, note: e.note })),
    })),
    notifications: r.notifications.map((n) => ({ text: n.text, link: n.link, createdAt: iso(n.createdAt), readAt: iso(n.readAt) })),
    apiTokens: r.apiTokens.map((t) => ({ name: t.name, prefix: t.prefix, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) })),
    consents: {
      // Per invitation: how the recipient's consent was attested ("ui": ticked when sending; "api_token": by the token).
      smokeSignals: r.smokeSignals.map((s) => ({ signalId: s.id, consent: s.consent, at: iso(s.createdAt) })),
      apiTokens: r.apiTokens.map((t) => ({ token: t.name, attestedAt: iso(t.consentAttestedAt) })),
      // Announcements (contests and wins): the consents in force, and every one given or withdrawn, with its time.
      announcements: {
        inApp: r.announcementPreferences?.inApp ?? true,
        emailSince: iso(r.announcementPreferences?.emailConsentAt),
        smsSince: iso(r.announcementPreferences?.smsConsentAt),
        smsNumber: r.announcementPreferences?.smsConsentPhone ?? null,
        history: r.announcementConsents.map((c) => ({ channel: c.channel, given: c.given, number: c.phone, how: c.source, at: iso(c.at) })),
      },
    },
    // Alert channels chosen per event (events not listed keep their defaults).
    preferences: r.preferences.map((p) => ({ event: p.event, inApp: p.inApp, email: p.email, sms: p.sms, updatedAt: iso(p.updatedAt) })),
    // Two-factor sign-in as configured, never its secret; recovery codes only as how many are left.
    twoFactor: {
      authenticatorApp: r.twoFactor?.totpEnabledAt != null,
      enabledAt: iso(r.twoFactor?.totpEnabledAt ?? null),
      smsCodes: r.twoFactor?.smsEnabled ?? false,
      recoveryCodesLeft: r.recoveryCodes.filter((c) => c.usedAt === null).length,
      rememberedBrowsers: r.rememberedDevices.map((d) => ({ browser: d.browser, address: d.address, createdAt: iso(d.createdAt), lastUsedAt: iso(d.lastUsedAt), expiresAt: iso(d.expiresAt), revokedAt: iso(d.revokedAt) })),
    },
    signIns: r.sessions.map((s) => ({ startedAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt), endedAt: iso(s.endedAt), endedReason: s.endedReason, address: s.address, browser: s.userAgent })),
    messages: r.messages.map((m) => ({
      channel: m.channel,
      purpose: m.purpose,
      recipient: m.recipient,
      subject: m.subject,
      status: m.outcome,
      providerStatus: m.providerStatus,
      errorCode: m.errorCode,
      createdAt: iso(m.createdAt),
      sentAt: iso(m.sentAt),
      bodyPurgedAt: iso(m.bodyPurgedAt),
    })),
  };
}

/** Everything stored about the member, or null when there is no such member. */
export function exportMemberData(db: Db, memberId: string, now = new Date()): MemberExport | null {
  const records = memberRecords(db, memberId);
  return records ? shape(records, now) : null;
}
