import { checkScopes } from "./scopes.js";
import type { SimulatorOptions } from "./types.js";
import { checkUnappliedUsers } from "./unapplied.js";

function checkNumber(
  name: string,
  value: number | undefined,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`Expected \`${name}\` to be a number ${range}, got \`${String(value)}\``);
  }
}

/** Throws a RangeError or TypeError naming the first option out of range, before anything starts. */
export function validateOptions(options: SimulatorOptions): void {
  checkNumber("lightRps", options.lightRps, 1);
  checkNumber("mediumRps", options.mediumRps, 1);
  checkNumber("dailyLightLimit", options.dailyLightLimit, 0);
  checkNumber("generateUsers", options.generateUsers, 0);
  checkNumber("tokenLifetimeSec", options.tokenLifetimeSec, Number.MIN_VALUE);
  checkNumber("tokenLatencyMs", options.tokenLatencyMs, 0);
  checkNumber("latencyMs", options.latencyMs, 0);
  checkNumber("latencyJitterMs", options.latencyJitterMs, 0);
  checkNumber("otherAppShare", options.otherAppShare, 0, 1);
  checkNumber("qpsRetryAfterSec", options.qpsRetryAfterSec, 0);
  if (options.generateUsers !== undefined && !Number.isInteger(options.generateUsers)) {
    throw new RangeError(`Expected \`generateUsers\` to be an integer, got \`${options.generateUsers}\``);
  }
  checkScopes(options.scopes);
  if (options.unappliedUsers !== undefined) checkUnappliedUsers(options.unappliedUsers);
}
