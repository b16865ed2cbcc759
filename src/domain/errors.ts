/**
 * One error model for run-level failures. Row-level failures never throw: they become the row's outcome.
 * Branch on `code`, never on message text. The CLI maps codes to exit codes, in one table.
 */
export type ErrorCode =
  /** Bad flags or flag values. */
  | "USAGE"
  /** Missing or contradictory configuration (credentials, tier, rps). */
  | "CONFIG_INVALID"
  /** The input file cannot be read as CSV at all. */
  | "INPUT_UNREADABLE"
  /** The token endpoint refused the credentials (400/401). */
  | "AUTH_FAILED"
  /** The token endpoint could not be reached for longer than we wait. */
  | "AUTH_UNAVAILABLE"
  /** The report file cannot be created or written. */
  | "REPORT_UNWRITABLE"
  /** A report given to read back (undo, resume) is missing, not ours, or damaged beyond its last row. */
  | "REPORT_UNREADABLE"
  /** `--resume` names a report written for another input file (and --force was not given). */
  | "RESUME_MISMATCH"
  /** Another run holds the lock on the same report directory or input. */
  | "RUN_LOCKED"
  /** `--redis` was given and Redis cannot be reached (at start: exit 2; mid-run for too long: the run stops). */
  | "REDIS_UNAVAILABLE"
  /** The app's token does not grant an operation the file needs. */
  | "SCOPE_MISSING"
  /** A plan file given to approve or apply is missing, not ours, or damaged. */
  | "PLAN_UNREADABLE"
  /** A plan may not be applied: edited after approval, too old, for another account, or short of approvals. */
  | "PLAN_REFUSED"
  /** A bug of ours: a state the code believes cannot happen. */
  | "INTERNAL";

export class OffboardError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OffboardError";
    this.code = code;
  }
}

/** The input file is not usable; names the file and the line where reading failed. */
export class InputError extends OffboardError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, reason: string, options?: { cause?: unknown }) {
    super("INPUT_UNREADABLE", `${file}${line === undefined ? "" : `:${line}`}: ${reason}`, options);
    this.name = "InputError";
    this.file = file;
    this.line = line;
  }
}

export function isOffboardError(error: unknown): error is OffboardError {
  return error instanceof OffboardError;
}
