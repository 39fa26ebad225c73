// Emulators and sandbox pages exist only in sandbox mode: in live mode every sandbox URL answers 404.
import "server-only";
import { notFound } from "next/navigation";
import { getEnv } from "@/lib/env";

export function isSandbox(): boolean {
  return getEnv().mode === "sandbox";
}

/** For sandbox route handlers: a plain 404 Response in live mode, or null when the handler may go on. */
export function sandboxOnly(): Response | null {
  return isSandbox() ? null : new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
}

/** For sandbox pages: renders Next's 404 in live mode. */
export function sandboxPageOnly(): void {
  if (!isSandbox()) notFound();
}
