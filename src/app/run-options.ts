import type { Action } from "../domain/actions.js";
import type { ApprovedChanges } from "../domain/plan.js";
import type { ReportRow } from "../domain/report-row.js";
import type { Tier } from "../domain/tiers.js";
import type { LookupChoice } from "../lookup/choose-strategy.js";
import type { DeactivationLimit } from "../lookup/guard.js";
import type { TransferItem } from "../zoom/operations/index.js";

/** Server-to-Server OAuth app credentials; they never appear in logs, reports or messages. */
export interface Credentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

/** Everything a run needs to know, resolved and validated before anything is read or sent. */
export interface RunOptions {
  inputPath: string;
  /** How the input is named in the summary and logs, when it is not the file itself (undo's derived input). */
  inputLabel?: string | undefined;
  dryRun: boolean;
  defaultAction: Action | undefined;
  reportPath: string | undefined;
  tier: Tier;
  /** The account's Light limit per second for the chosen tier (or --rps for custom). */
  tierRps: number;
  /** The rate to pace at: --rps, at most tierRps. */
  rps: number;
  /** --share: the part of `rps` this tool may use (the rest is left to other apps on the account). */
  share: number;
  /** Share the budget with every runner of the account through this Redis. */
  redisUrl: string | undefined;
  concurrency: number;
  maxAttempts: number;
  timeoutMs: number;
  apiUrl: string;
  oauthUrl: string;
  /** Absent for an offline dry run (and until the embedded simulator gives its own). */
  credentials: Credentials | undefined;
  lookup: LookupChoice;
  maxDeactivations: DeactivationLimit;
  /** Removals (delete and disassociate) allowed before anything is sent; none by default. */
  maxDeletions: DeactivationLimit;
  /** Where a removed user's data goes when the row names no transfer target. */
  defaultTransferTo: string | undefined;
  /** What moves to the transfer target; empty with `--no-transfer`, which also lets a removal go without one. */
  transfer: readonly TransferItem[];
  protectPath: string | undefined;
  /** An earlier report whose final rows are carried over. */
  resumeFrom: string | undefined;
  /** Resume even when the earlier report was written for other input bytes. */
  force: boolean;
  /** How long an unavailable token endpoint is retried before the run stops. */
  tokenWaitMs: number;
  /** The moment dated rows are held against (`--as-of`, else when the run starts): later ones are scheduled. */
  asOf: number | undefined;
  /** The zone a plain date in the file is read in (`--timezone`, else the machine's). */
  timeZone: string;
  /** Rows decided outside the file and reported as they are (an undo's changes that cannot be undone). */
  extraRows?: readonly ReportRow[] | undefined;
  /** After the last change, read the directory again and flag applied rows whose user is not in that state. */
  verify: boolean;
  /** An apply: the plan's changes by line; a row whose user drifted from the plan's state is not sent. */
  approved?: ApprovedChanges | undefined;
}
