// "Forgot your password?" by SMS: a code to the verified mobile number of the account with the address, then the code
// and a new password. The page says the same whether or not such an account or number exists.
import type { Metadata } from "next";
import { getEnv } from "@/lib/env";
import { ResetByCode } from "./ResetByCode";

export const metadata: Metadata = { title: "Reset your password with a text message" };
export const dynamic = "force-dynamic";

export default function ResetByCodePage() {
  return (
    <div className="card narrow">
      <h1>Reset your password with a text message</h1>
      <p className="muted">Enter the address you sign in with. We will text a code to the mobile number verified on your account.</p>
      <ResetByCode codeLength={getEnv().phoneCodes.length} />
    </div>
  );
}
