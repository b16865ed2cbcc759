import type { Random } from "./random.js";
import type { SimFaults } from "./types.js";

/**
 * What goes wrong with one API request: `server_error` answers 500/502/503, applying nothing; `drop` closes the
 * socket unanswered; `lost_response` applies the change, then drops the socket (a retried PUT must be harmless);
 * `unapplied` answers a change with Zoom's success but changes nothing, which only a read-back after the run can
 * tell (reads are served as usual).
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
