import { CsvError } from "csv-parse";
import { InputError } from "../domain/errors.js";
import { describeUserColumnNames } from "./columns.js";

/** A record longer than this is almost surely an unclosed quote swallowing the file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export function toInputError(error: unknown, path: string, recordLine: number): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof CsvError) {
    // csv-parse reports where it gave up (the end of the file for an unclosed quote); the report wants the line
    // where the quoted field opens, which is the start of the record it was parsing.
    switch (error.code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return new InputError(path, recordLine, "unclosed quote: the quoted field opened here never closes", {
          cause: error,
        });
      case "CSV_MAX_RECORD_SIZE":
        return new InputError(
          path,
          recordLine,
          `the record starting here is longer than ${MAX_RECORD_BYTES / 1024} KiB; is a quote left open?`,
          { cause: error },
        );
      default:
        return new InputError(path, recordLine, `cannot parse CSV (${error.code}): ${error.message}`, {
          cause: error,
        });
    }
  }
  return new InputError(path, undefined, `cannot read: ${describeFsError(error)}`, { cause: error });
}

export function expectedHeader(): string {
  return `expected a header line naming the user column (${describeUserColumnNames()})`;
}

export function describeFound(header: readonly string[]): string {
  const shown = header.slice(0, 10).map((name) => JSON.stringify(name.slice(0, 40)));
  return header.length > 10 ? `${shown.join(", ")}, ...` : shown.join(", ");
}

export function describeFsError(error: unknown): string {
  const code =
    typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a CSV file";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
