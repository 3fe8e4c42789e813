import pino from "pino";
import { getEnv } from "./env";

/** JSON logger shared by console and gateway; `service` tells the two apart. */
export function createLogger(service: string): pino.Logger {
  return pino({
    level: getEnv().LOG_LEVEL,
    base: { service },
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.key", "*.token"], censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

let consoleLogger: pino.Logger | undefined;
/** The console's logger. */
export function getLogger(): pino.Logger {
  consoleLogger ??= createLogger("console");
  return consoleLogger;
}
