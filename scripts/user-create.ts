// `npm run user:create -- --email a@b.c [--password ...] [--admin] [--screen-name ...]`: creates a member from the CLI.
import "./dotenv";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { getDb } from "@/db/client";
import { AccountError, createMember } from "@/lib/accounts/members";
import { exitOnConfigError } from "@/lib/startup";

function usage(): void {
  console.log("Usage: npm run user:create -- --email someone@example.com [--admin] [--password '...'] [--screen-name '...']");
  console.log("Without --password a strong one is generated and printed once.");
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        email: { type: "string" },
        password: { type: "string" },
        admin: { type: "boolean", default: false },
        "screen-name": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    // A mistyped option (--Admin, --mail) is the caller's slip: say which, show the usage, no stack trace.
    console.error((error as Error).message);
    usage();
    process.exit(2);
  }
}

const values = readArgs();

if (values.help || !values.email) {
  usage();
  process.exit(values.help ? 0 : 2);
}

const password = values.password ?? process.env.USER_PASSWORD ?? randomBytes(15).toString("base64url");
try {
  const member = await createMember(getDb(), {
    email: values.email,
    password,
    role: values.admin ? "admin" : "member",
    screenName: values["screen-name"],
  });
  console.log(`Created ${member.role} ${member.email} (id ${member.id}).`);
  if (!values.password && !process.env.USER_PASSWORD) console.log(`Password (shown once): ${password}`);
} catch (error) {
  if (error instanceof AccountError) {
    console.error(`Could not create the account: ${error.message}`);
    process.exit(1);
  }
  exitOnConfigError(error);
}
