"use client";
// The two-factor page's forms: set up the authenticator app (QR code and the key to type), recovery codes shown once,
// SMS codes beside the app (and why only beside it), remembered browsers, and turning it off.
import Link from "next/link";
import { useActionState } from "react";
import { SMS_WHY } from "@/lib/two-factor/words";
import { FormOutcome } from "../../FormOutcome";
import { disableAction, enableAction, forgetDeviceAction, regenerateAction, smsAction, type TwoFactorFormState } from "./actions";

type Browser = { id: string; browser: string; since: string; until: string; here: boolean };
type Props = {
  on: boolean;
  since: string | null;
  setup: { qr: string; grouped: string } | null;
  sms: { on: boolean; chosen: boolean; phone: string | null };
  recoveryLeft: number;
  browsers: Browser[];
  rememberDays: number;
  admin: boolean;
};

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="alert ok" role="status">
      <p>
        <strong>Your recovery codes.</strong> Save them somewhere safe now (a password manager, or on paper): they will not be shown again. Each one signs you in
        once if you lose your phone.
      </p>
      <ul aria-label="Recovery codes" className="codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The password, or a code, that confirms a change; `id` keeps its fields' ids apart from another form's on the page. */
function Confirm({ state, id }: { state: TwoFactorFormState; id: string }) {
  const error = state.fields?.password;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-password`}>Your password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-password-error` : `${id}-password-hint`}
        />
        <span id={`${id}-password-hint`} className="hint">
          Or, instead, a code from your authenticator app or a recovery code below.
        </span>
        {error && (
          <span id={`${id}-password-error`} className="error">
            {error}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-code`}>Authenticator or recovery code</label>
        <input id={`${id}-code`} name="confirmCode" autoComplete="one-time-code" />
      </div>
    </>
  );
}

export function TwoFactorForms(p: Props) {
  const [enabled, enable, enabling] = useActionState(enableAction, {} as TwoFactorFormState);
  const [renewed, renew, renewing] = useActionState(regenerateAction, {} as TwoFactorFormState);
  const [disabled, disable, disabling] = useActionState(disableAction, {} as TwoFactorFormState);
  const [smsState, setSms, settingSms] = useActionState(smsAction, {} as TwoFactorFormState);
  const codes = enabled.recoveryCodes ?? renewed.recoveryCodes;
  return (
    <>
      {disabled.ok && (
        <div className="alert ok" role="status">
          {disabled.ok}
        </div>
      )}
      {enabled.ok && (
        <div className="alert ok" role="status">
          {enabled.ok}
        </div>
      )}
      {codes && <RecoveryCodes codes={codes} />}
      {!p.on && p.setup && (
        <section className="card" aria-labelledby="setup-heading">
          <h2 id="setup-heading">Set up an authenticator app</h2>
          <ol>
            <li>Install an authenticator app on your phone if you have none (any app that reads QR codes for two-factor sign-in works).</li>
            <li>
              In the app, add an account and scan this QR code:
              <p>
                {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server, nothing to optimise */}
                <img src={p.setup.qr} alt="QR code to add Select Exposure to your authenticator app" width={220} height={220} />
              </p>
              <p>
                Cannot scan it? Type this key into the app instead (time-based): <code aria-label="Secret key">{p.setup.grouped}</code>
              </p>
            </li>
            <li>Enter your password and the 6-digit code the app now shows for Select Exposure.</li>
          </ol>
          <form action={enable} noValidate>
            <FormOutcome error={enabled.error && !enabled.fields ? enabled.error : undefined} />
            <div className="field">
              <label htmlFor="setup-password">Your password</label>
              <input
                id="setup-password"
                name="password"
                type="password"
                autoComplete="current-password"
                aria-invalid={enabled.fields?.password ? true : undefined}
                aria-describedby={enabled.fields?.password ? "setup-password-error" : undefined}
              />
              {enabled.fields?.password && (
                <span id="setup-password-error" className="error">
                  {enabled.fields.password}
                </span>
              )}
            </div>
            <div className="field">
              <label htmlFor="code">Code from your authenticator app</label>
              <input
                id="code"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                aria-invalid={enabled.fields?.code ? true : undefined}
                aria-describedby={enabled.fields?.code ? "code-error" : undefined}
              />
              {enabled.fields?.code && (
                <span id="code-error" className="error">
                  {enabled.fields.code}
                </span>
              )}
            </div>
            <button type="submit" disabled={enabling}>
              {enabling ? "Checking…" : "Turn on two-factor sign-in"}
            </button>
          </form>
        </section>
      )}
      {p.on && (
        <>
          <section className="card" aria-labelledby="methods-heading">
            <h2 id="methods-heading">How you sign in</h2>
            <p>
              <span className="badge ok">On</span> since {p.since}: your password and a code from your <strong>authenticator app</strong>.
            </p>
            <h3>SMS codes</h3>
            <p className="muted">{SMS_WHY}</p>
            {p.sms.phone ? (
              <form action={setSms}>
                <FormOutcome error={smsState.error} ok={smsState.ok} />
                <input type="hidden" name="sms" value={p.sms.on ? "off" : "on"} />
                <p>{p.sms.on ? `We also accept codes texted to ${p.sms.phone}.` : `SMS codes are off.`}</p>
                <button type="submit" className="secondary" disabled={settingSms}>
                  {p.sms.on ? "Stop SMS codes" : `Also accept SMS codes to ${p.sms.phone}`}
                </button>
              </form>
            ) : (
              <p>
                To get sign-in codes by SMS too, first <Link href="/profile/phone">verify a mobile number</Link>.
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="recovery-heading">
            <h2 id="recovery-heading">Recovery codes</h2>
            <p>
              {p.recoveryLeft} of your recovery codes {p.recoveryLeft === 1 ? "is" : "are"} left. Each works once, if you cannot use your phone.
            </p>
            <form action={renew} noValidate>
              <FormOutcome error={renewed.error && !renewed.fields ? renewed.error : undefined} ok={renewed.ok} />
              <Confirm state={renewed} id="renew" />
              <button type="submit" className="secondary" disabled={renewing}>
                Make new recovery codes
              </button>
            </form>
          </section>
          <section className="card" aria-labelledby="browsers-heading">
            <h2 id="browsers-heading">Remembered browsers</h2>
            <p className="muted">
              When you tick “Remember this browser” at sign-in, it skips the code for {p.rememberDays} days. Forget any you no longer use.
            </p>
            {p.browsers.length === 0 ? (
              <p>No browser is remembered.</p>
            ) : (
              <ul>
                {p.browsers.map((b) => (
                  <li key={b.id}>
                    <form action={forgetDeviceAction} className="actions">
                      <span>
                        {b.browser}
                        {b.here ? " (this browser)" : ""}, remembered on {b.since} until {b.until}
                      </span>
                      <input type="hidden" name="id" value={b.id} />
                      <button type="submit" className="secondary" aria-label={`Forget ${b.browser}${b.here ? " (this browser)" : ""}`}>
                        Forget
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
            {p.browsers.length > 1 && (
              <form action={forgetDeviceAction}>
                <input type="hidden" name="id" value="all" />
                <button type="submit" className="secondary">
                  Forget every browser
                </button>
              </form>
            )}
          </section>
          <section className="card" aria-labelledby="off-heading">
            <h2 id="off-heading">Turn off two-factor sign-in</h2>
            {p.admin && <p className="alert info">You are an administrator: without two-factor sign-in you cannot use the admin features.</p>}
            <form action={disable} noValidate>
              <FormOutcome error={disabled.error && !disabled.fields ? disabled.error : undefined} />
              <Confirm state={disabled} id="off" />
              <button type="submit" className="secondary" disabled={disabling}>
                Turn off two-factor sign-in
              </button>
            </form>
          </section>
        </>
      )}
    </>
  );
}
