import { type Action, contradicts, LIFECYCLE_RANK, overrides } from "../domain/actions.js";

/** One due row of a user who has several. */
export interface UserRow {
  line: number;
  action: Action;
  /** When the row takes effect (epoch ms); a row without a date takes effect at the run's moment. */
  dueAt: number;
}

/** What becomes of each of those rows. */
export type RowRole =
  /** Sent, once every row in `after` (lines of the same user's earlier steps) is decided. */
  | { kind: "send"; after: readonly number[]; sequenced: boolean }
  | { kind: "duplicate"; firstLine: number }
  | { kind: "conflict"; reason: string }
  /** A step dated later makes this one moot (see `overrides`): nothing is sent for it. */
  | { kind: "superseded"; by: UserRow };

/**
 * Decide the due rows of a user named more than once. Rows take effect in date, then lifecycle order; one that
 * a later row overrides (a deactivation before a rehire's activate) is superseded. If two of the rest contradict
 * each other the file does not know what it wants: none is sent, all are conflicts. Otherwise each action's
 * first row is sent, one at a time in that order, and its repeats are duplicates.
 */
export function resolveUserRows(rows: readonly UserRow[]): Map<number, RowRole> {
  const roles = new Map<number, RowRole>();
  const ordered = [...rows].sort(inEffectOrder);
  const standing = markSuperseded(ordered, roles);
  const first = new Map<Action, number>();
  for (const row of standing) if (!first.has(row.action)) first.set(row.action, row.line);
  const actions = [...first.keys()];
  for (const [i, a] of actions.entries()) {
    for (const b of actions.slice(i + 1)) {
      if (!contradicts(a, b)) continue;
      const [x, y] = [a, b].sort();
      const reason = `user has both actions: ${describe(x ?? a, first)}, ${describe(y ?? b, first)}`;
      for (const row of standing) roles.set(row.line, { kind: "conflict", reason });
      return roles;
    }
  }
  const sent: number[] = [];
  for (const row of standing) {
    const firstLine = first.get(row.action) ?? row.line;
    if (firstLine !== row.line) {
      roles.set(row.line, { kind: "duplicate", firstLine });
      continue;
    }
    roles.set(row.line, { kind: "send", after: [...sent].sort((x, y) => x - y), sequenced: true });
    sent.push(row.line);
  }
  return roles;
}

/**
 * Sets the role of every row that a row dated after it overrides (the first such row in effect order names it),
 * and returns the rest in order. Walks the dates from the last: `nearest` holds, for each action, the first row
 * dated after the date at hand.
 */
function markSuperseded(ordered: readonly UserRow[], roles: Map<number, RowRole>): UserRow[] {
  const nearest = new Map<Action, { row: UserRow; index: number }>();
  const standing: UserRow[] = [];
  let end = ordered.length;
  while (end > 0) {
    const dueAt = ordered[end - 1]?.dueAt;
    let start = end;
    while (start > 0 && ordered[start - 1]?.dueAt === dueAt) start--;
    const group = ordered.slice(start, end);
    for (const row of group) {
      let by: { row: UserRow; index: number } | undefined;
      for (const [action, candidate] of nearest) {
        if (overrides(action, row.action) && (by === undefined || candidate.index < by.index)) by = candidate;
      }
      if (by === undefined) standing.push(row);
      else roles.set(row.line, { kind: "superseded", by: by.row });
    }
    for (const [offset, row] of [...group.entries()].reverse()) {
      nearest.set(row.action, { row, index: start + offset });
    }
    end = start;
  }
  return standing.sort(inEffectOrder);
}

/** By date, then lifecycle, then line. */
function inEffectOrder(a: UserRow, b: UserRow): number {
  return a.dueAt - b.dueAt || LIFECYCLE_RANK[a.action] - LIFECYCLE_RANK[b.action] || a.line - b.line;
}

function describe(action: Action, first: ReadonlyMap<Action, number>): string {
  return `${action} at line ${first.get(action) ?? "?"}`;
}
