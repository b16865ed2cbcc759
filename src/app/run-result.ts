import type { OutcomeCounts } from "../domain/outcomes.js";
import type { StopReason } from "../domain/stop.js";
import type { LookupStrategy } from "../lookup/choose-strategy.js";
import type { PreviewSamples } from "../report/preview.js";

/** What a run came to: the CLI prints it (a table, or JSON with --json) and writes the HTML report from it. */
export interface RunResult {
  outcomes: OutcomeCounts;
  rows: number;
  exitCode: 0 | 1 | 3;
  report: string;
  /** The input as the person named it (an undo names the report it reverses). */
  input: string;
  dryRun: boolean;
  durationMs: number;
  /** Applied changes per second, from the first change sent to the last decision. */
  rateRps: number;
  /** Requests that change something, retries included. */
  requests: number;
  /** Per-second 429s absorbed. */
  rateLimited: number;
  /** The pace when nothing slowed it: the Light limit (or --rps) times --share. */
  rpsLimit: number;
  /** The lowest pace adaptive pacing went down to. */
  minRps: number;
  rateChanges: number;
  /** Why the run stopped before deciding every row; undefined when it did not. */
  stop: StopReason | undefined;
  lookup: LookupStrategy;
  /** Read requests of the look-ups (Light per user, Medium for the directory). */
  lookupRequests: number;
  /** Things a person should know that did not stop the run. */
  warnings: string[];
  /** Dry runs: the first rows of each outcome. */
  preview: PreviewSamples | undefined;
  /** `--resume`: the report final rows were carried over from. */
  resumedFrom: string | null;
  carriedOver: number;
  /** `--verify` (always on for an apply): the applied rows held against the directory read afterwards. */
  verification?: RunVerification | undefined;
}

export interface RunVerification {
  /** Applied rows held against the directory. */
  checked: number;
  /** Of them, rows Zoom said it applied but that are not in that state (now `unverified`). */
  notInState: number;
  /** Applied rows nothing in the directory can confirm (sign-outs). */
  unverifiable: number;
  /** Why the directory could not be read, when it could not: then nothing was confirmed. */
  failed: string | undefined;
}
