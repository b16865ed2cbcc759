import { type SimReply, zoomError } from "./http.js";
import type { SimApiRoute } from "./types.js";

export interface RouteScopes {
  granular: readonly string[];
  classic: readonly string[];
}

/**
 * The scopes each operation accepts, any one of them being enough, as Zoom's Users OpenAPI lists them for each
 * operation. Only the account-level (`:admin`) ones: the user-level scopes there (`user:read`, `user:write`,
 * `user:read:user`, ...) let an app act on its own user only, which an offboarding never does.
 */
export const ROUTE_SCOPES: Readonly<Record<SimApiRoute, RouteScopes>> = {
  get_user: { granular: ["user:read:user:admin"], classic: ["user:read:admin", "user:write:admin"] },
  list_users: { granular: ["user:read:list_users:admin"], classic: ["user:read:admin", "user:write:admin"] },
  put_status: { granular: ["user:update:status:admin"], classic: ["user:write:admin"] },
  sign_out: { granular: ["user:delete:token:admin"], classic: ["user:write:admin"] },
  update_user: { granular: ["user:update:user:admin"], classic: ["user:write:admin"] },
  delete_user: { granular: ["user:delete:user:admin"], classic: ["user:write:admin"] },
};

/** Classic scopes covering all six operations; the order is the one the token answer has always shown. */
export const DEFAULT_SCOPES: readonly string[] = ["user:write:admin", "user:read:admin"];

/** Zoom's answer when the token lacks the scopes of an operation; its message names the granular ones. */
export function missingScopeReply(route: SimApiRoute): SimReply {
  const { granular } = ROUTE_SCOPES[route];
  return zoomError(400, 4711, `Invalid access token, does not contain scopes:[${granular.join(", ")}].`);
}

/** Whether the granted scopes allow the route. */
export function hasScopeFor(route: SimApiRoute, granted: ReadonlySet<string>): boolean {
  const { granular, classic } = ROUTE_SCOPES[route];
  return [...granular, ...classic].some((scope) => granted.has(scope));
}

/** Throws for a scope list the token answer could not carry (Zoom separates scopes with single spaces). */
export function checkScopes(scopes: readonly string[] | undefined): void {
  if (scopes === undefined) return;
  if (!Array.isArray(scopes)) throw new TypeError("Expected `scopes` to be an array of strings");
  for (const scope of scopes) {
    if (typeof scope !== "string" || !/^[A-Za-z0-9_:.-]+$/.test(scope)) {
      throw new RangeError(`Expected every scope to be like \`user:read:admin\`, got \`${String(scope)}\``);
    }
  }
}
