import { type SimReply, zoomError } from "../http.js";
import type { SimApiRoute, SimFaults, SimRefusal, Simulator } from "../types.js";
import { checkUnappliedUsers } from "../unapplied.js";

type Controls = Pick<
  Simulator,
  | "stats"
  | "user"
  | "revokeTokens"
  | "setFaults"
  | "setUnappliedUsers"
  | "setTokenOutage"
  | "setRefusal"
  | "nextDay"
  | "resetStats"
>;

function parseJson(body: Buffer): unknown {
  return body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
}

const NO_CONTENT: SimReply = { status: 204 };

/** Control routes without a body. */
const ACTIONS: Record<string, ((sim: Controls) => void) | undefined> = {
  "POST /_sim/revoke-tokens": (sim) => sim.revokeTokens(),
  "POST /_sim/next-day": (sim) => sim.nextDay(),
  "POST /_sim/reset-stats": (sim) => sim.resetStats(),
};

/**
 * /_sim/… routes, so that a test driving the simulator in another process (`zoom-offboard simulate`) can observe
 * and steer it. They need no token, use no rate budget and are not counted in the stats.
 */
export function handleControl(
  method: string,
  path: string,
  query: string,
  body: Buffer,
  sim: Controls,
): SimReply {
  const route = `${method} ${path}`;
  try {
    if (route === "GET /_sim/stats") {
      // `?log=0` leaves out the request log, which can be tens of megabytes after a benchmark.
      const withLog = !["0", "false"].includes(new URLSearchParams(query).get("log") ?? "");
      const stats = sim.stats();
      return { status: 200, body: withLog ? stats : { ...stats, log: [] } };
    }
    const action = ACTIONS[route];
    if (action !== undefined) {
      action(sim);
      return NO_CONTENT;
    }
    if (route === "POST /_sim/faults") {
      const faults = parseJson(body);
      if (typeof faults !== "object" || faults === null)
        throw new TypeError("Expected a JSON object of rates, and optionally unappliedUsers");
      // Everything is checked before anything changes, so a refused body leaves the faults as they were.
      const { unappliedUsers, ...rates } = faults as Partial<SimFaults> & { unappliedUsers?: unknown };
      if (unappliedUsers !== undefined) checkUnappliedUsers(unappliedUsers);
      sim.setFaults(rates);
      if (unappliedUsers !== undefined) sim.setUnappliedUsers(unappliedUsers);
      return NO_CONTENT;
    }
    if (route === "POST /_sim/token-outage") {
      const { untilMs } = parseJson(body) as { untilMs?: unknown };
      if (untilMs !== null && typeof untilMs !== "number")
        throw new TypeError("Expected {untilMs: number|null}");
      sim.setTokenOutage(untilMs);
      return NO_CONTENT;
    }
    if (route === "POST /_sim/refuse") {
      const { route: target, off, ...refusal } = parseJson(body) as { route?: unknown; off?: unknown };
      if (typeof target !== "string")
        throw new TypeError(
          "Expected {route, status?, code?, message?, afterRequests?} or {route, off: true}",
        );
      sim.setRefusal(target as SimApiRoute, off === true ? null : (refusal as SimRefusal));
      return NO_CONTENT;
    }
    if (method === "GET" && path.startsWith("/_sim/users/")) {
      const value = decodeURIComponent(path.slice("/_sim/users/".length));
      const user = sim.user(value);
      return user === undefined
        ? zoomError(404, 1001, `User does not exist: ${value}.`)
        : { status: 200, body: user };
    }
  } catch (error) {
    return { status: 400, body: { code: 400, message: (error as Error).message } };
  }
  return { status: 404, body: { code: 404, message: `No such simulator control route: ${route}` } };
}
