import { type Action, contradicts, LIFECYCLE_RANK } from "../domain/actions.js";

/** One valid row of a user who has several. */
export interface UserRow {
  line: number;
  action: Action;
}

/** What becomes of each of those rows. */
export type RowRole =
  /** Sent, once every row in `after` (lines of the same user's earlier steps) is decided. */
  | { kind: "send"; after: readonly number[]; sequenced: boolean }
  | { kind: "duplicate"; firstLine: number }
  | { kind: "conflict"; reason: string };

/**
 * Decide the rows of one user that the file names more than once. If any two of the rows contradict each other
 * (activate with a deactivation or a removal, delete with disassociate), the file does not know what it wants for
 * this person: none of the user's rows is sent, and every one is a conflict. Otherwise each action's first row is
 * sent and its repeats are duplicates, and the rows sent run one at a time in lifecycle order. Pure.
 */
export function resolveUserRows(rows: readonly UserRow[]): Map<number, RowRole> {
  const roles = new Map<number, RowRole>();
  const byLine = [...rows].sort((a, b) => a.line - b.line);
  const first = new Map<Action, number>();
  for (const row of byLine) if (!first.has(row.action)) first.set(row.action, row.line);
  const actions = [...first.keys()];
  for (const [i, a] of actions.entries()) {
    for (const b of actions.slice(i + 1)) {
      if (!contradicts(a, b)) continue;
      const [x, y] = [a, b].sort();
      const reason = `user has both actions: ${describe(x ?? a, first)}, ${describe(y ?? b, first)}`;
      for (const row of byLine) roles.set(row.line, { kind: "conflict", reason });
      return roles;
    }
  }
  for (const row of byLine) {
    const firstLine = first.get(row.action) ?? row.line;
    if (firstLine !== row.line) {
      roles.set(row.line, { kind: "duplicate", firstLine });
      continue;
    }
    const rank = LIFECYCLE_RANK[row.action];
    const after = actions
      .filter((other) => LIFECYCLE_RANK[other] < rank)
      .map((other) => first.get(other) ?? 0)
      .sort((x, y) => x - y);
    roles.set(row.line, { kind: "send", after, sequenced: true });
  }
  return roles;
}

function describe(action: Action, first: ReadonlyMap<Action, number>): string {
  return `${action} at line ${first.get(action) ?? "?"}`;
}
