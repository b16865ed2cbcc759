import { ACTIONS, type Action } from "../domain/actions.js";
import { OffboardError } from "../domain/errors.js";
import type { OperationInfo } from "../zoom/operation.js";
import { downgrade, getUser, relicense, removeUser, setStatus, signOut } from "../zoom/operations/index.js";

/** The Zoom operation that carries out each action (a deletion of a pending user is the same operation). */
const OPERATION_OF: Readonly<Record<Action, OperationInfo>> = {
  signout: signOut,
  downgrade,
  license: relicense,
  deactivate: setStatus,
  activate: setStatus,
  delete: removeUser,
  disassociate: removeUser,
};

/** The Zoom operation an action is carried out by. */
export function operationOf(action: Action): OperationInfo {
  return OPERATION_OF[action];
}

/** What a run will ask of Zoom: the operations of the actions the file has, and the look-up if users are looked up. */
export function operationsNeeded(
  actions: Readonly<Record<Action, number>>,
  options: { dryRun: boolean; lookups: boolean },
): OperationInfo[] {
  const needed = new Set<OperationInfo>();
  if (!options.dryRun) {
    for (const action of ACTIONS) if (actions[action] > 0) needed.add(OPERATION_OF[action]);
  }
  if (options.lookups) needed.add(getUser);
  return [...needed];
}

/**
 * Refuse the run before its first request when the app's token does not grant an operation the file needs: each
 * such request would be refused (code 4711), and Zoom disables apps whose error ratio is high. A token answer
 * without `scope` says nothing, and then Zoom's answers decide.
 */
export function checkScopes(granted: readonly string[] | undefined, needed: readonly OperationInfo[]): void {
  if (granted === undefined) return;
  const have = new Set(granted);
  const missing = needed.filter((operation) => !operation.scopes.some((scope) => have.has(scope)));
  if (missing.length === 0) return;
  const lines = missing.map((operation) => `${operation.name} (one of ${operation.scopes.join(", ")})`);
  throw new OffboardError(
    "SCOPE_MISSING",
    `the Zoom app lacks a scope this file needs: ${lines.join("; ")}. Add it to the app in the Zoom App Marketplace ` +
      "(Scopes), then run again; nothing was changed",
  );
}
