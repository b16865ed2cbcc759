import type { Random } from "./random.js";
import type { SimFaults } from "./types.js";

/**
 * What goes wrong with one API request:
 * - `server_error`: answer 500/502/503 without applying anything;
 * - `drop`: destroy the socket without answering, nothing applied;
 * - `lost_response`: apply the change, then destroy the socket (the client cannot know it worked; a retry of an
 *   idempotent PUT must then be harmless);
 * - `unapplied`: answer a change with the success Zoom would give but leave the user as they were, as bulk tools
 *   that report success and never ran do; only a read-back after the run can tell. Requests that change nothing
 *   (look-ups, listings) are served as usual when this is drawn.
 */
export type FaultKind = "none" | "server_error" | "drop" | "lost_response" | "unapplied";

export const NO_FAULTS: SimFaults = {
  serverErrorRate: 0,
  dropRate: 0,
  lostResponseRate: 0,
  unappliedRate: 0,
};

export const SERVER_ERROR_ANSWERS = [
  { status: 500, message: "Internal Server Error" },
  { status: 502, message: "Bad Gateway" },
  { status: 503, message: "Service Unavailable" },
] as const;

export type ServerErrorAnswer = (typeof SERVER_ERROR_ANSWERS)[number];

/** Merges a partial update into the current rates; throws RangeError for a rate outside 0..1. */
export function mergeFaults(current: SimFaults, update: Partial<SimFaults> | undefined): SimFaults {
  const merged = { ...current };
  for (const key of Object.keys(NO_FAULTS) as (keyof SimFaults)[]) {
    const value = update?.[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
      throw new RangeError(`Expected \`${key}\` to be a number from 0 to 1, got \`${String(value)}\``);
    }
    merged[key] = value;
  }
  return merged;
}

export interface FaultDecision {
  kind: FaultKind;
  serverError: ServerErrorAnswer;
}

/**
 * One decision per API request. Always draws exactly two numbers, whatever the rates, so that the sequence for
 * a seed depends only on the order of requests. The rates are stacked on [0, 1): server error first, then drop,
 * then lost response, then unapplied; if they add up to more than 1 the later ones get what is left.
 */
export function decideFault(random: Random, faults: SimFaults): FaultDecision {
  const u = random.next();
  const serverError =
    SERVER_ERROR_ANSWERS[random.int(SERVER_ERROR_ANSWERS.length)] ?? SERVER_ERROR_ANSWERS[0];
  let threshold = faults.serverErrorRate;
  if (u < threshold) return { kind: "server_error", serverError };
  threshold += faults.dropRate;
  if (u < threshold) return { kind: "drop", serverError };
  threshold += faults.lostResponseRate;
  if (u < threshold) return { kind: "lost_response", serverError };
  threshold += faults.unappliedRate;
  if (u < threshold) return { kind: "unapplied", serverError };
  return { kind: "none", serverError };
}
