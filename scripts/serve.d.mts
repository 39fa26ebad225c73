// Types for scripts/serve.mjs (plain JavaScript so it runs under node without a loader).
import type { IncomingMessage, Server, ServerResponse } from "node:http";
export function appendPeer(forwardedFor: string | string[] | undefined, peer: string | undefined): string | undefined;
export function withPeerAddress(handle: (req: IncomingMessage, res: ServerResponse) => unknown): (req: IncomingMessage, res: ServerResponse) => void;
export function portFrom(text: string | undefined): number;
export function serve(address: { port: number; hostname: string }): Promise<void>;
export function loadEnvFiles(): void;
export function keepIdleConnections(server: Server): void;
