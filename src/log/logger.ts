import { createRequire } from "node:module";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Our own code never logs a secret, but an error
 * from a library can carry request options (headers, bodies) and would otherwise print them.
 */
export const REDACT_PATHS = [
  "authorization",
  "Authorization",
  "headers.authorization",
  "headers.Authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "req.headers.authorization",
  "token",
  "accessToken",
  "access_token",
  "*.access_token",
  "clientSecret",
  "client_secret",
  "*.clientSecret",
  "credentials",
  "*.credentials",
  "password",
];

export interface LoggerSetup {
  level: string;
  /** Where lines go: stderr in the CLI, a capture stream in tests. */
  destination: DestinationStream;
  /** Pretty, colourless-safe lines for a person at a terminal; JSON lines for everything else. */
  pretty: boolean;
}

export function createLogger(setup: LoggerSetup): Logger {
  const options: LoggerOptions = {
    level: setup.level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  if (!setup.pretty) return pino(options, setup.destination);
  // Loaded only for a terminal: cron runs (JSON lines) do not pay for it at start-up.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  // pino-pretty as a stream in this thread (not a transport worker): the CLI starts faster and lines are not
  // lost when it exits.
  return pino(
    options,
    pretty({
      destination: setup.destination,
      sync: true,
      ignore: "pid,hostname",
      translateTime: "SYS:HH:MM:ss",
    }),
  );
}
