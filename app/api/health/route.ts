// Liveness and readiness: the database answers and is migrated, and which provider mode is in force.
import { NextResponse } from "next/server";
import { databaseStatus } from "@/db/client";
import { getEnv } from "@/lib/env";
import { api } from "@/lib/http/api";
import { log } from "@/lib/log";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = api(() => {
  const providers = getEnv().mode;
  try {
    const db = databaseStatus();
    const status = db.ok ? "ok" : "degraded";
    return NextResponse.json({ status, db: db.ok ? "ok" : "migrations pending", providers }, { status: db.ok ? 200 : 503 });
  } catch (error) {
    log.error({ err: error }, "health check: database unavailable");
    return NextResponse.json({ status: "error", db: "unavailable", providers }, { status: 503 });
  }
});

export const { POST, PUT, PATCH, DELETE } = refuseOtherMethods("GET");
