/**
 * A Zoom user record, as GET /users/{userId} returns it and GET /users lists it, read defensively: the fields an
 * offboarding needs, and nothing taken on trust.
 */
import type { UserRole, UserStatus } from "../domain/users.js";
import { isRecord } from "./answer.js";

export type { UserRole, UserStatus };

export interface UserRecord {
  status: UserStatus;
  role: UserRole;
  /** Zoom's user type: 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None. */
  type?: number;
  /** Pending users have none. */
  id?: string;
  email?: string;
}

/** The record in `value`, or undefined without a readable `status` (a proxy's page, another API's answer). */
export function readUserRecord(value: unknown): UserRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { status } = value;
  if (status !== "active" && status !== "inactive" && status !== "pending") return undefined;
  const user: UserRecord = { status, role: roleOf(value) };
  if (typeof value.type === "number" && Number.isInteger(value.type)) user.type = value.type;
  if (typeof value.id === "string" && value.id !== "") user.id = value.id;
  if (typeof value.email === "string" && value.email !== "") user.email = value.email;
  return user;
}

/**
 * owner / admin / room / member from a Zoom user record: `role_id` "0" is the owner and "1" an admin, else the role name.
 * https://developers.zoom.us/docs/api/users/#tag/users/GET/users/{userId}
 */
export function roleOf(user: Record<string, unknown>): UserRole {
  const roleId = typeof user.role_id === "number" ? String(user.role_id) : user.role_id;
  if (roleId === "0") return "owner";
  if (roleId === "1") return "admin";
  const roleName = typeof user.role_name === "string" ? user.role_name.trim().toLowerCase() : "";
  if (roleName === "owner") return "owner";
  if (roleName === "admin") return "admin";
  // Zoom Rooms accounts carry a role of their own; Zoom refuses to change them in most of the ways a leaver is.
  if (roleName.includes("zoom room")) return "room";
  return "member";
}
