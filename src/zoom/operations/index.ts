/** Every Zoom operation this tool knows, one file each. */
import type { OperationInfo } from "../operation.js";
import { getUser } from "./get-user.js";
import { listUsers } from "./list-users.js";
import { removeUser } from "./remove-user.js";
import { setStatus } from "./set-status.js";
import { signOut } from "./sign-out.js";
import { downgrade, relicense } from "./user-type.js";

export { type GetUserInput, getUser, type UserLookup } from "./get-user.js";
export { type ListUsersInput, listUsers, type UserPage } from "./list-users.js";
export {
  type RemoveUserInput,
  removeUser,
  TRANSFER_ITEM_NAMES,
  TRANSFER_ITEMS,
  type TransferItem,
} from "./remove-user.js";
export { type SetStatusInput, setStatus } from "./set-status.js";
export { type SignOutInput, signOut } from "./sign-out.js";
export { downgrade, relicense, type UserTypeInput } from "./user-type.js";

/** All of them, for what concerns every operation alike (the scopes a run needs, the contract tests). */
export const OPERATIONS: readonly OperationInfo[] = [
  setStatus,
  getUser,
  listUsers,
  signOut,
  downgrade,
  relicense,
  removeUser,
];
