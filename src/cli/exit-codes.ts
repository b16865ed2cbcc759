import type { ErrorCode } from "../domain/errors.js";
import { isOffboardError } from "../domain/errors.js";

/**
 * The exit code for each run-level error. 2: nothing was sent (fix the usage, configuration or file and run again);
 * 3: the run stopped early, so a `--resume` may finish it.
 */
export const EXIT_CODE_OF: Readonly<Record<ErrorCode, 2 | 3>> = {
  USAGE: 2,
  CONFIG_INVALID: 2,
  INPUT_UNREADABLE: 2,
  AUTH_FAILED: 2,
  AUTH_UNAVAILABLE: 3,
  REPORT_UNWRITABLE: 2,
  REPORT_UNREADABLE: 2,
  RESUME_MISMATCH: 2,
  RUN_LOCKED: 2,
  REDIS_UNAVAILABLE: 2,
  SCOPE_MISSING: 2,
  PLAN_UNREADABLE: 2,
  PLAN_REFUSED: 2,
  INTERNAL: 3,
};

/** What the CLI prints and exits with for an error that ended a command. */
export function failureOf(error: unknown): { exitCode: 2 | 3; message: string } {
  if (isOffboardError(error)) return { exitCode: EXIT_CODE_OF[error.code], message: error.message };
  // Not one of ours: a bug. The stack helps whoever reports it; nothing in it is a secret of the run.
  return {
    exitCode: EXIT_CODE_OF.INTERNAL,
    message: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  };
}
