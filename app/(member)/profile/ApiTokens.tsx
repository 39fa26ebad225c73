"use client";
// Personal API tokens: create one (shown once, with the consent attestation it records) and revoke existing ones.
import { useActionState } from "react";
import { createTokenAction, revokeTokenAction, type TokenState } from "./token-actions";

type TokenRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };

export function ApiTokens({ tokens, apiUrl }: { tokens: TokenRow[]; apiUrl: string }) {
  const [state, action, pending] = useActionState(createTokenAction, {} as TokenState);
  return (
    <section id="api-tokens" className="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        A personal API token lets a script send smoke signals as you: <code>Authorization: Bearer &lt;token&gt;</code> on <code>POST {apiUrl}/api/accounts/smoke-signals/send</code>.
      </p>
      {state.token && (
        <div className="alert ok" role="status">
          <p>
            Your new token “{state.name}”. Copy it now: it will not be shown again.
          </p>
          <label htmlFor="new-token">New API token</label>
          <input id="new-token" readOnly value={state.token} size={60} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      {tokens.length > 0 && (
        <div className="table-scroll" role="group" aria-labelledby="tokens-heading" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.createdAt}</td>
                <td>{t.lastUsedAt ?? "Never"}</td>
                <td>
                  <form action={revokeTokenAction}>
                    <input type="hidden" name="id" value={t.id} />
                    <button type="submit" className="secondary" aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      <form action={action} noValidate>
        <h3>Create a token</h3>
        {state.error && (
          <div className="alert error" role="alert">
            {state.error}
          </div>
        )}
        <div className="field">
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" name="name" maxLength={60} aria-invalid={state.fields?.name ? true : undefined} />
        </div>
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="consent" aria-invalid={state.fields?.consent ? true : undefined} /> I confirm that everyone I invite through the API has agreed to receive the message
          </label>
        </div>
        <button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </section>
  );
}
