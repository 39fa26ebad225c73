// The account alert catalogue: every event a member can be alerted about, whether it is a security alert (which can
// never be switched off on every channel), its default channels, and its words on each channel. Pure data and
// functions, so pages and tests read the same words the alerts carry.
import { maskRecipient } from "@/lib/smoke-signals/compose";

export const ALERT_CHANNELS = ["inApp", "email", "sms"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
export type ChannelChoice = Record<AlertChannel, boolean>;

export const CHANNEL_LABELS: Record<AlertChannel, string> = { inApp: "In the app", email: "Email", sms: "SMS" };

/** Security alerts keep at least one channel on; activity alerts can be switched off. (Announcements come later.) */
export type AlertGroup = "security" | "activity";
export const GROUP_LABELS: Record<AlertGroup, string> = { security: "Security alerts", activity: "Activity" };

/** What each event's alert is told (the caller knows it; the alert only words it). */
export type AlertDetails = {
  /** A successful sign-in from a browser that never signed in to this account before. */
  new_device_sign_in: { browser: string; address: string | null };
  /** The password was changed on the profile, or reset through a link or code. */
  password_changed: { how: "changed" | "reset" };
  /** The account's address changed; the email goes to the OLD address (the new one may be an attacker's). */
  email_changed: { oldEmail: string; newEmail: string };
  /** The verified mobile number was added, changed or removed (masked in every message). */
  phone_changed: { oldPhone: string | null; newPhone: string | null };
  two_factor_enabled: Record<string, never>;
  two_factor_disabled: { method: string };
  /** A recovery code was used to sign in; `remaining` are left. */
  recovery_codes_used: { remaining: number };
  api_token_created: { name: string };
  /** Someone joined through the member's smoke signal; `text` says which (the smoke-signal domain words it). */
  invitee_joined: { text: string };
};
export type AlertEvent = keyof AlertDetails;

/** An alert as each channel carries it. `link` is a path of this site. */
export type RenderedAlert = { text: string; link: string; subject: string; email: string; sms: string };

type Ctx = { appUrl: string; when: Date };

type Definition<E extends AlertEvent> = {
  group: AlertGroup;
  label: string;
  /** When it is sent, in the preferences page's words. */
  description: string;
  defaults: ChannelChoice;
  render(details: AlertDetails[E], ctx: Ctx): RenderedAlert;
  /** The email goes here instead of the member's address. */
  emailTo?(details: AlertDetails[E]): string;
};

const at = (when: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(when) + " UTC";
const maskPhone = (phone: string | null) => (phone ? maskRecipient(phone) : "none");
const notYou = (appUrl: string) =>
  `If this was not you, change your password now (${appUrl}/profile#security) and sign out of your other devices; if you cannot sign in, reset your password (${appUrl}/forgot-password).`;

const SECURITY_DEFAULTS: ChannelChoice = { inApp: true, email: true, sms: false };

export const ALERTS: { [E in AlertEvent]: Definition<E> } = {
  new_device_sign_in: {
    group: "security",
    label: "Sign-in from a new device",
    description: "Someone signed in to your account from a browser or device that had not signed in to it before.",
    defaults: SECURITY_DEFAULTS,
    render: ({ browser, address }, { appUrl, when }) => {
      const where = `${browser}${address ? `, network ${address}` : ""}`;
      return {
        text: `New sign-in to your account from ${where}.`,
        link: "/profile#security",
        subject: "New sign-in to your Select Exposure account",
        email: `Your Select Exposure account was signed in to from a device it had not been used on before.\n\nWhen: ${at(when)}\nDevice: ${where}\n\nIf this was you, there is nothing to do. ${notYou(appUrl)}`,
        sms: `Select Exposure: new sign-in to your account from ${browser}. Not you? Change your password at ${appUrl}/profile`,
      };
    },
  },
  password_changed: {
    group: "security",
    label: "Password changed",
    description: "Your password was changed on your profile, or reset with a link or code.",
    defaults: SECURITY_DEFAULTS,
    render: ({ how }, { appUrl, when }) => ({
      text: how === "reset" ? "Your password was reset. Every device was signed out." : "Your password was changed. Your other devices were signed out.",
      link: "/profile#security",
      subject: "Your Select Exposure password was changed",
      email: `The password of your Select Exposure account was ${how === "reset" ? "reset" : "changed"} on ${at(when)}.\n\nIf this was you, there is nothing to do. If not, reset your password now: ${appUrl}/forgot-password`,
      sms: `Select Exposure: your password was ${how === "reset" ? "reset" : "changed"}. Not you? Reset it at ${appUrl}/forgot-password`,
    }),
  },
  email_changed: {
    group: "security",
    label: "Email address changed",
    description: "Your account's email address was changed. The email goes to your old address.",
    defaults: SECURITY_DEFAULTS,
    emailTo: ({ oldEmail }) => oldEmail,
    render: ({ oldEmail, newEmail }, { appUrl, when }) => ({
      text: `Your account's email address was changed from ${oldEmail} to ${newEmail}.`,
      link: "/profile#account",
      subject: "Your Select Exposure email address was changed",
      email: `The email address of your Select Exposure account was changed from ${oldEmail} to ${newEmail} on ${at(when)}. This address will no longer receive messages about the account.\n\nIf this was not you, someone may have access to your account: reset your password at ${appUrl}/forgot-password using the new address if you can, and contact us.`,
      sms: `Select Exposure: your account's email address was changed. Not you? Reset your password at ${appUrl}/forgot-password`,
    }),
  },
  phone_changed: {
    group: "security",
    label: "Mobile number changed",
    description: "A verified mobile number was added to your account, changed or removed.",
    defaults: SECURITY_DEFAULTS,
    render: ({ oldPhone, newPhone }, { appUrl, when }) => {
      const what = !oldPhone ? `added ${maskPhone(newPhone)}` : !newPhone ? `removed ${maskPhone(oldPhone)}` : `changed from ${maskPhone(oldPhone)} to ${maskPhone(newPhone)}`;
      return {
        text: `Your account's mobile number was ${what}.`,
        link: "/profile#account",
        subject: "Your Select Exposure mobile number was changed",
        email: `The mobile number of your Select Exposure account was ${what} on ${at(when)}.\n\nIf this was you, there is nothing to do. ${notYou(appUrl)}`,
        sms: `Select Exposure: your account's mobile number was ${what}. Not you? Change your password at ${appUrl}/profile`,
      };
    },
  },
  two_factor_enabled: {
    group: "security",
    label: "Two-factor sign-in turned on",
    description: "Two-factor sign-in was turned on for your account (whoever did it holds the authenticator and the recovery codes).",
    defaults: SECURITY_DEFAULTS,
    render: (_details, { appUrl, when }) => ({
      text: "Two-factor sign-in was turned on for your account.",
      link: "/profile/two-factor",
      subject: "Two-factor sign-in was turned on",
      email: `Two-factor sign-in was turned on for your Select Exposure account on ${at(when)}: signing in now needs a code from the authenticator app that was set up.\n\nIf this was you, there is nothing to do. ${notYou(appUrl)}`,
      sms: `Select Exposure: two-factor sign-in was turned on. Not you? Change your password at ${appUrl}/profile`,
    }),
  },
  two_factor_disabled: {
    group: "security",
    label: "Two-factor sign-in turned off",
    description: "Two-factor sign-in (an authenticator app or SMS codes) was turned off for your account.",
    defaults: SECURITY_DEFAULTS,
    render: ({ method }, { appUrl, when }) => ({
      text: `Two-factor sign-in (${method}) was turned off for your account.`,
      link: "/profile#security",
      subject: "Two-factor sign-in was turned off",
      email: `Two-factor sign-in (${method}) was turned off for your Select Exposure account on ${at(when)}. Your account is now protected by your password alone.\n\nIf this was you, there is nothing to do. ${notYou(appUrl)}`,
      sms: `Select Exposure: two-factor sign-in was turned off. Not you? Change your password at ${appUrl}/profile`,
    }),
  },
  recovery_codes_used: {
    group: "security",
    label: "Recovery code used",
    description: "One of your two-factor recovery codes was used to sign in.",
    defaults: SECURITY_DEFAULTS,
    render: ({ remaining }, { appUrl, when }) => ({
      text: `A recovery code was used to sign in. ${remaining} ${remaining === 1 ? "code is" : "codes are"} left.`,
      link: "/profile#security",
      subject: "A recovery code was used to sign in",
      email: `A recovery code was used to sign in to your Select Exposure account on ${at(when)}. ${remaining} ${remaining === 1 ? "code is" : "codes are"} left; you can make new ones on your profile.\n\nIf this was you, there is nothing to do. ${notYou(appUrl)}`,
      sms: `Select Exposure: a recovery code was used to sign in. Not you? Change your password at ${appUrl}/profile`,
    }),
  },
  api_token_created: {
    group: "security",
    label: "API token created",
    description: "A personal API token, which lets a script send smoke signals as you, was created.",
    defaults: SECURITY_DEFAULTS,
    render: ({ name }, { appUrl, when }) => ({
      text: `A new API token “${name}” was created for your account.`,
      link: "/profile#api-tokens",
      subject: "A new API token was created for your account",
      email: `A personal API token named “${name}” was created for your Select Exposure account on ${at(when)}. It can send smoke signals as you.\n\nIf this was you, there is nothing to do. If not, revoke it on your profile (${appUrl}/profile#api-tokens) and change your password.`,
      sms: `Select Exposure: a new API token "${name}" was created. Not you? Revoke it at ${appUrl}/profile`,
    }),
  },
  invitee_joined: {
    group: "activity",
    label: "Someone joined through your invitation",
    description: "A person you invited with a smoke signal created their account.",
    defaults: { inApp: true, email: false, sms: false },
    render: ({ text }, { appUrl }) => ({
      text,
      link: "/smoke-signals",
      subject: "Your invitee joined Select Exposure",
      email: `${text}\n\n${appUrl}/smoke-signals`,
      sms: `Select Exposure: ${text}`,
    }),
  },
};

export const ALERT_EVENTS = Object.keys(ALERTS) as AlertEvent[];

export function isAlertEvent(value: unknown): value is AlertEvent {
  return typeof value === "string" && Object.hasOwn(ALERTS, value);
}

export const isSecurityAlert = (event: AlertEvent) => ALERTS[event].group === "security";

/** Words the member sees for an event's rule (the preferences page and the server's refusal say the same). */
export const keepOneChannel = (event: AlertEvent) => `Keep at least one way to hear about “${ALERTS[event].label}”: it is a security alert.`;
