import { createRequire } from "node:module";
import { styleText } from "node:util";
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

/** How a person at a terminal sees the logs (pino-pretty); absent, JSON lines for schedulers. */
export interface TerminalLogs {
  /** ANSI colours (off with NO_COLOR). */
  color: boolean;
  /** The sentence shown for an info line (its details stay in the JSON logs and at debug level). */
  line: (log: Record<string, unknown>) => string;
}

export interface LoggerSetup {
  level: string;
  /** Where lines go: stderr in the CLI, a capture stream in tests. */
  destination: DestinationStream;
  terminal?: TerminalLogs | undefined;
}

const WARN = 40;
const ERROR = 50;

export function createLogger(setup: LoggerSetup): Logger {
  const options: LoggerOptions = {
    level: setup.level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  };
  const { terminal } = setup;
  if (terminal === undefined) return pino(options, setup.destination);
  // Loaded only for a terminal: cron runs (JSON lines) do not pay for it at start-up.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  // Details only when asked for (debug, trace): otherwise one calm sentence a line, warnings and errors marked.
  const verbose =
    pino.levels.values[setup.level] !== undefined && (pino.levels.values[setup.level] ?? 30) < 30;
  const stream = pretty({
    destination: setup.destination,
    // In this thread (not a transport worker): the CLI starts faster and lines are not lost when it exits.
    sync: true,
    // Colours of our own below: pino-pretty's would paint every calm info line too.
    colorize: verbose && terminal.color,
    ...(verbose
      ? { ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss" }
      : {
          ignore: "pid,hostname,time,level",
          hideObject: true,
          messageFormat: (log) => {
            const line = terminal.line(log);
            const level = typeof log.level === "number" ? log.level : 30;
            const paint = (style: Parameters<typeof styleText>[0], text: string): string =>
              terminal.color ? styleText(style, text) : text;
            if (level >= ERROR) return paint(["bold", "red"], `error: ${line}`);
            if (level >= WARN) return paint("yellow", `warning: ${line}`);
            return line;
          },
        }),
  });
  return pino(options, stream);
}
