// `npm run db:migrate`: applies pending drizzle-kit migrations to DATABASE_URL.
import "./dotenv";
import { databaseStatus, getDb } from "@/db/client";
import { exitOnConfigError } from "@/lib/startup";

try {
  const status = databaseStatus(getDb());
  console.log(`Migrations applied: ${status.applied} of ${status.expected}.`);
} catch (error) {
  exitOnConfigError(error);
}
