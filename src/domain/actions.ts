/**
 * What a row can ask for, in the order an offboarding takes them: sign the person out everywhere, take the paid
 * seat away (or give it back), block the log-in (or lift the block), and at last remove them from the account.
 */
export type Action =
  | "signout"
  | "downgrade"
  | "license"
  | "deactivate"
  | "activate"
  | "delete"
  | "disassociate";

export const ACTIONS: readonly Action[] = [
  "signout",
  "downgrade",
  "license",
  "deactivate",
  "activate",
  "delete",
  "disassociate",
];

/** Removals: the user leaves the account (delete for good; disassociate leaves them a free account of their own). */
export const REMOVALS: ReadonlySet<Action> = new Set<Action>(["delete", "disassociate"]);

/**
 * When a user has several rows, they run one at a time in this order whatever the order of the lines: a sign-out
 * while the account still exists, a deletion last.
 */
export const LIFECYCLE_RANK: Readonly<Record<Action, number>> = {
  signout: 0,
  downgrade: 1,
  license: 1,
  deactivate: 2,
  activate: 2,
  delete: 3,
  disassociate: 3,
};

/** Pairs that cannot both be asked for one user: the file contradicts itself, and neither row is sent. */
export function contradicts(a: Action, b: Action): boolean {
  const pair = (x: Action, y: Action) => (a === x && b === y) || (a === y && b === x);
  return (
    pair("activate", "deactivate") ||
    pair("activate", "delete") ||
    pair("activate", "disassociate") ||
    pair("delete", "disassociate") ||
    pair("downgrade", "license")
  );
}

/**
 * What a step dated later makes of a user's earlier steps, once both are due: the earlier ones it lists are moot
 * (a removal ends everything before it; a deactivation leaves no session to end and no seat to take) or reversed
 * (a rehire's activate), so they cost no request. Steps on the same date are not overridden: they run in lifecycle
 * order, or conflict.
 */
const OVERRIDDEN_BY: Readonly<Record<Action, ReadonlySet<Action>>> = {
  signout: new Set<Action>(["signout"]),
  downgrade: new Set<Action>(["downgrade", "license"]),
  license: new Set<Action>(["downgrade", "license"]),
  deactivate: new Set<Action>(["signout", "downgrade", "license", "deactivate", "activate"]),
  activate: new Set<Action>(["signout", "downgrade", "deactivate", "activate", "delete", "disassociate"]),
  delete: new Set<Action>(ACTIONS),
  disassociate: new Set<Action>(ACTIONS),
};

/** Whether a step dated after an earlier one of the same user makes that one moot. */
export function overrides(later: Action, earlier: Action): boolean {
  return OVERRIDDEN_BY[later].has(earlier);
}

/** What undoes an action, when anything can: a sign-out, a deletion and a disassociation cannot be taken back. */
export const REVERSAL: Readonly<Record<Action, Action | undefined>> = {
  signout: undefined,
  downgrade: "license",
  license: "downgrade",
  deactivate: "activate",
  activate: "deactivate",
  delete: undefined,
  disassociate: undefined,
};

/** Spellings people use for an action; matched case-insensitively after trimming. */
const ALIASES: Readonly<Record<string, Action>> = {
  "sign-out": "signout",
  sign_out: "signout",
  logout: "signout",
  unlicense: "downgrade",
  basic: "downgrade",
  relicense: "license",
  unlink: "disassociate",
};

/** The action a cell names, or undefined. */
export function parseAction(value: string): Action | undefined {
  const normalized = value.trim().toLowerCase();
  if ((ACTIONS as readonly string[]).includes(normalized)) return normalized as Action;
  return ALIASES[normalized];
}
