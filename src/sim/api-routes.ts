import type { RateLabel } from "./rate-limits.js";
import type { SimRoute } from "./types.js";

export type ApiRoute = { route: SimRoute; label: RateLabel | undefined; userValue: string | undefined };

/** Percent-decodes the {userId} path segment (`a%40b.com`); a malformed escape is kept as sent. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `METHOD suffix` after /v2/users/{userId} → route; every one of them is Light in Zoom's rate-limit table. */
const USER_ROUTES: Readonly<Record<string, SimRoute | undefined>> = {
  "GET ": "get_user",
  "PATCH ": "update_user",
  "DELETE ": "delete_user",
  "PUT status": "put_status",
  "DELETE token": "sign_out",
};

/** Which operation a /v2 request is; the path is split before decoding, so `%2F` stays inside the user id. */
export function classify(method: string, path: string): ApiRoute {
  const parts = path.split("/"); // ["", "v2", "users", id?, "status" | "token"?]
  if (parts[2] === "users") {
    if (method === "GET" && (parts.length === 3 || (parts.length === 4 && parts[3] === ""))) {
      return { route: "list_users", label: "Medium", userValue: undefined };
    }
    const segment = parts[3];
    const suffix = parts.length === 4 ? "" : parts.length === 5 && parts[4] !== "" ? parts[4] : undefined;
    if (segment !== undefined && segment !== "" && suffix !== undefined) {
      const route = USER_ROUTES[`${method} ${suffix}`];
      if (route !== undefined) return { route, label: "Light", userValue: decodeSegment(segment) };
    }
  }
  return { route: "other", label: undefined, userValue: undefined };
}
