import pino from "pino";
import { readEnvironment } from "@/lib/config/environment";

/**
 * Structured JSON logs on stdout (one line per event, ready for any log shipper). LOG_LEVEL sets the level;
 * secrets are redacted by key wherever they might be logged as part of a larger object.
 */
export const logger = pino({
  level: logLevel(),
  base: { app: "slipway" },
  redact: { paths: ["*.password", "*.token", "*.authorization", "auth.*"], censor: "[redacted]" },
});

/** A malformed variable elsewhere must not stop the logger that reports it: only LOG_LEVEL's own error falls back here. */
function logLevel(): string {
  try {
    return readEnvironment().logLevel;
  } catch {
    const level = process.env.LOG_LEVEL?.trim();
    return level && ["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(level) ? level : "info";
  }
}
