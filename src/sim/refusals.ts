import { type SimReply, zoomError } from "./http.js";
import { missingScopeReply } from "./scopes.js";
import type { SimApiRoute, SimRefusal } from "./types.js";

export const API_ROUTES: readonly SimApiRoute[] = [
  "get_user",
  "list_users",
  "put_status",
  "sign_out",
  "update_user",
  "delete_user",
];

/** Zoom's wording for an account whose API access was withdrawn (the user list's documented 403). */
const FORBIDDEN_MESSAGE =
  "Access to the Zoom REST API has been denied for this account. Contact Zoom Support for details.";

export function isApiRoute(value: unknown): value is SimApiRoute {
  return (API_ROUTES as readonly unknown[]).includes(value);
}

const REFUSAL_FIELDS = new Set(["status", "code", "message", "afterRequests"]);

function checkRefusal(refusal: SimRefusal): void {
  if (typeof refusal !== "object" || refusal === null)
    throw new TypeError("Expected a refusal object or null");
  const unknown = Object.keys(refusal).find((key) => !REFUSAL_FIELDS.has(key));
  if (unknown !== undefined) {
    throw new RangeError(`Unknown refusal field \`${unknown}\` (expected ${[...REFUSAL_FIELDS].join(", ")})`);
  }
  const { status, code, message, afterRequests } = refusal;
  const isInteger = (value: unknown, min: number, max: number) =>
    typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
  if (status !== undefined && !isInteger(status, 400, 599)) {
    throw new RangeError(`Expected \`status\` to be an integer from 400 to 599, got \`${String(status)}\``);
  }
  if (code !== undefined && !isInteger(code, 1, Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Expected \`code\` to be a positive integer, got \`${String(code)}\``);
  }
  if (status === undefined && code === undefined) throw new RangeError("Expected a `status` or a `code`");
  if (message !== undefined && typeof message !== "string")
    throw new TypeError("Expected `message` to be a string");
  if (afterRequests !== undefined && !isInteger(afterRequests, 0, Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `Expected \`afterRequests\` to be an integer >= 0, got \`${String(afterRequests)}\``,
    );
  }
}

/** The answer a refusal forces: code 4711 alone reads like a lost scope, a bare status like a lost API access. */
export function refusalReply(route: SimApiRoute, refusal: SimRefusal): SimReply {
  const { status, code, message } = refusal;
  if (code === 4711 && message === undefined) return { ...missingScopeReply(route), status: status ?? 400 };
  const httpStatus = status ?? (code === 124 ? 401 : 400);
  const text =
    message ?? (httpStatus === 403 ? FORBIDDEN_MESSAGE : `Request refused by the simulator (${route}).`);
  return zoomError(httpStatus, code ?? httpStatus, text);
}

interface ActiveRefusal {
  refusal: SimRefusal;
  /** Requests of the route still let through before the refusal starts. */
  passesLeft: number;
}

/** Run-wide refusals set through `Simulator.setRefusal`, one per route at most. */
export class RefusalBook {
  private readonly active = new Map<SimApiRoute, ActiveRefusal>();

  set(route: SimApiRoute, refusal: SimRefusal | null): void {
    if (!isApiRoute(route))
      throw new RangeError(`Unknown route \`${String(route)}\` (expected ${API_ROUTES.join(", ")})`);
    if (refusal === null) {
      this.active.delete(route);
      return;
    }
    checkRefusal(refusal);
    this.active.set(route, { refusal: { ...refusal }, passesLeft: refusal.afterRequests ?? 0 });
  }

  /** Called once per arriving request of `route`: the forced answer, or undefined to go on as usual. */
  check(route: SimApiRoute): SimReply | undefined {
    const entry = this.active.get(route);
    if (entry === undefined) return undefined;
    if (entry.passesLeft > 0) {
      entry.passesLeft--;
      return undefined;
    }
    return refusalReply(route, entry.refusal);
  }
}
