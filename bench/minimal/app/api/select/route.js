// The framework floor: one SQLite `select 1` on a file database opened once, answered as JSON.
import Database from "better-sqlite3";

export const dynamic = "force-dynamic";

let select;

export function GET() {
  select ??= new Database(process.env.BENCH_MINIMAL_DB || ":memory:").prepare("select 1 as one");
  return Response.json(select.get());
}
