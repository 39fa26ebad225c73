// "Forgot your password?": ask for a reset link by email, or go to a code by SMS instead. The answer is the same
// whether or not an account uses the address.
import type { Metadata } from "next";
import Link from "next/link";
import { forgotPasswordAction } from "../account-actions";
import { AccountForm } from "../AccountForm";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="card narrow">
      <h1>Forgot your password?</h1>
      <p className="muted">Enter the address you sign in with. We will email you a link to choose a new password.</p>
      <AccountForm
        action={forgotPasswordAction}
        fields={[{ name: "email", label: "Email", type: "email", autoComplete: "email" }]}
        submit="Email me a link"
        pending="Sending…"
        after={
          <p>
            <Link href="/signin">Back to sign in</Link>
          </p>
        }
      />
      <p>
        <Link href="/forgot-password/code">Text me a code instead</Link> <span className="muted">(to the mobile number verified on your account)</span>
      </p>
    </div>
  );
}
