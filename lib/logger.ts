import pino from "pino";

/**
 * Structured JSON logs on stdout (one line per event, ready for any log shipper). LOG_LEVEL sets the level;
 * secrets are redacted by key wherever they might be logged as part of a larger object.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "slipway" },
  redact: { paths: ["*.password", "*.token", "*.authorization", "auth.*"], censor: "[redacted]" },
});
