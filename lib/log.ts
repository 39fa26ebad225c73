// The app's structured logger (pino, JSON lines on stdout); secrets and credentials are redacted by key name.
import pino from "pino";

export const log = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: {
    paths: [
      "password",
      "*.password",
      "passwordHash",
      "*.passwordHash",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "token",
      "*.token",
      "apiKey",
      "*.apiKey",
      "authToken",
      "*.authToken",
      "secret",
      "*.secret",
    ],
    censor: "[redacted]",
  },
});
