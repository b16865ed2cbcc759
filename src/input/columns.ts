/** The user column is the FIRST of these names that the header contains (list order, not header order). */
export const USER_COLUMN_NAMES: readonly string[] = [
  "user_id",
  "userid",
  "user id",
  "email",
  "user_email",
  "id",
  "user",
];

export const ACTION_COLUMN_NAMES: readonly string[] = ["action", "status_action"];

/** Who receives a removed user's meetings, recordings and other data: their manager, usually. */
export const TRANSFER_COLUMN_NAMES: readonly string[] = [
  "transfer_to",
  "manager",
  "manager_email",
  "transfer_email",
];

/** When a row takes effect: HR exports call it the last day, the termination or leave date. */
export const DATE_COLUMN_NAMES: readonly string[] = [
  "effective_date",
  "effective",
  "date",
  "last_day",
  "termination_date",
  "leave_date",
];

export interface ColumnPositions {
  userIndex: number;
  /** undefined when the file has no action column (then `--action` decides). */
  actionIndex: number | undefined;
  /** undefined when the file names no transfer target (then `--transfer-to` decides). */
  transferIndex: number | undefined;
  /** undefined when rows carry no date (then every row is due now). */
  dateIndex: number | undefined;
}

/** Header names compare case-insensitively after trimming. */
export function normalizeColumnName(name: string): string {
  return name.trim().toLowerCase();
}

/** Finds the user and action columns; undefined when there is no user column (a file error for the caller). */
export function findColumns(header: readonly string[]): ColumnPositions | undefined {
  const names = header.map(normalizeColumnName);
  const userIndex = firstIndexOf(names, USER_COLUMN_NAMES);
  if (userIndex === undefined) return undefined;
  return {
    userIndex,
    actionIndex: firstIndexOf(names, ACTION_COLUMN_NAMES),
    transferIndex: firstIndexOf(names, TRANSFER_COLUMN_NAMES),
    dateIndex: firstIndexOf(names, DATE_COLUMN_NAMES),
  };
}

function firstIndexOf(names: readonly string[], wanted: readonly string[]): number | undefined {
  for (const name of wanted) {
    const index = names.indexOf(name);
    if (index >= 0) return index;
  }
  return undefined;
}

/** The accepted names as an error message lists them ("user id" quoted so the space shows). */
export function describeUserColumnNames(): string {
  return USER_COLUMN_NAMES.map((name) => (name.includes(" ") ? `"${name}"` : name)).join(", ");
}
