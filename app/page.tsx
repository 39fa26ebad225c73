import Link from "next/link";
import { currentMember } from "@/lib/auth/session";

export default async function Home() {
  const member = await currentMember();
  return (
    <div className="card">
      <h1>Select Exposure</h1>
      <p className="lead">
        A members-only community. Prove your age once with Yoti, then invite the people you want with a smoke signal by
        SMS or email.
      </p>
      <div className="actions">
        {member ? (
          <Link className="button" href="/profile">
            Go to your profile
          </Link>
        ) : (
          <>
            <Link className="button" href="/signup">
              Create an account
            </Link>
            <Link className="button secondary" href="/signin">
              Sign in
            </Link>
          </>
        )}
      </div>
    </div>
  );
}
