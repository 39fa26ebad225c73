// Loads .env files exactly as `next start` and `next dev` do, so the scripts and the server agree on the configuration.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
