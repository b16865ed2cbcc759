import { call } from "../../../src/zoom/call.js";
import type { OperationCall } from "../../../src/zoom/operation.js";
import {
  downgrade,
  getUser,
  listUsers,
  relicense,
  removeUser,
  setStatus,
  signOut,
} from "../../../src/zoom/operations/index.js";

/** One call of each operation, for what every operation must do alike. */
export const SAMPLE_CALLS: readonly OperationCall[] = [
  call(setStatus, { user: "jo@example.com", action: "deactivate" }),
  call(getUser, { user: "jo@example.com" }),
  call(listUsers, { status: "active", pageSize: 300 }),
  call(signOut, { user: "jo@example.com" }),
  call(downgrade, { user: "jo@example.com" }),
  call(relicense, { user: "jo@example.com" }),
  call(removeUser, { user: "jo@example.com", action: "delete", transferEmail: "heir@example.com" }),
];
