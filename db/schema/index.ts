// Every table of the app, one file per domain; db/client.ts and drizzle-kit read this barrel.
export * from "./accounts";
export * from "./security";
export * from "./verification";
export * from "./messaging";
export * from "./sandbox-twilio";
export * from "./operations";
export * from "./alerts";
export * from "./two-factor";
export * from "./announcements";
