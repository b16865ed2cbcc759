/**
 * A Zoom operation as data: what to send, which rate-limit budget and scopes it needs, which answers are its own,
 * and whether it can be undone. The client sends any of them alike; `classifyAnswer` reads any of their answers.
 * Adding an operation is one file in `operations/` and its tests.
 */
import { describeAnswer, type HttpAnswer, is4xx, type ZoomAnswer } from "./answer.js";

/** One request, relative to the API base (`https://api.zoom.us/v2`). */
export interface ZoomRequest {
  method: "GET" | "PUT" | "PATCH" | "DELETE";
  /** Under the API base, starting with `/`; user values already `encodeURIComponent`'ed. */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

/** Zoom's rate-limit labels this tool spends; each is a budget of its own. */
export type RateLimitLabel = "Light" | "Medium";

/** How an answer decides a request for good. `already`: the goal was reached before (a removal of a gone user). */
export type FinalOutcome = "not_found" | "rejected" | "failed" | "already";

export type FinalVerdict = {
  kind: "final";
  outcome: FinalOutcome;
  message: string;
  /** Set when every other request would fail the same way: the caller stops the run with this reason. */
  stopRun?: string;
};

/** What an operation makes of an answer that is its own. */
export type Interpreted<Out> =
  | { kind: "done"; value: Out }
  | FinalVerdict
  /** Worth another try for this request only (never a reason to hold every request back). */
  | { kind: "retry"; reason: "concurrent" | "unexpected_answer" };

export interface ZoomOperation<In, Out> {
  /** "set status", "get user", ...: for logs and messages. */
  readonly name: string;
  readonly label: RateLimitLabel;
  /** Any one of them grants the operation: granular first, then classic; account-level (`:admin`) only. */
  readonly scopes: readonly string[];
  request(input: In): ZoomRequest;
  /**
   * The answers that are this operation's own: its 2xx (what it returns) and the refusals with a meaning of their
   * own. Consulted for 2xx and 4xx answers only; undefined leaves the answer to the common reading.
   */
  interpret(answer: HttpAnswer, input: In): Interpreted<Out> | undefined;
  readonly undo: Undo<In>;
}

/** Whether a success can be put back, and the request that does it. */
export type Undo<In> =
  /** Changes nothing, so there is nothing to put back. */
  | { kind: "read_only" }
  | { kind: "irreversible"; why: string }
  | {
      kind: "reversible";
      /** One sentence for people: what undoing restores, and what it does not. */
      how: string;
      reverse(input: In): OperationCall;
    };

/** What every operation says about itself, whatever its input and output. */
export type OperationInfo = Pick<ZoomOperation<never, unknown>, "name" | "label" | "scopes" | "undo">;

/** An operation bound to its input, whatever their types: enough to send it and to read its answers. */
export interface OperationCall {
  readonly operation: OperationInfo;
  readonly input: unknown;
  readonly request: ZoomRequest;
  classify(answer: ZoomAnswer, now: Date): Verdict<unknown>;
  /** The call that undoes this one once it succeeded; undefined for a read or what cannot be undone. */
  reverse(): OperationCall | undefined;
}

/**
 * The user value is data, never URL syntax: `a/b`, `../x`, `?` or `#` stay inside the one path segment. An empty
 * value, `.` and `..` cannot be a segment at all (URLs resolve dot segments, encoded or not); the input check
 * refuses them, so here they are a caller's mistake.
 */
export function userPath(user: string): string {
  if (user === "" || user === "." || user === "..") {
    throw new RangeError(`Expected \`user\` to be a Zoom user ID or an email, got \`${user}\``);
  }
  return `/users/${encodeURIComponent(user)}`;
}

/** A 4xx with one of `codes` is refused for good, in Zoom's own words (the best reason a report can give). */
export function refusedWith(codes: readonly number[]): (answer: HttpAnswer) => FinalVerdict | undefined {
  const known = new Set(codes);
  return (answer) =>
    is4xx(answer.status) && answer.zoomCode !== undefined && known.has(answer.zoomCode)
      ? { kind: "final", outcome: "rejected", message: answer.message ?? describeAnswer(answer) }
      : undefined;
}

export type RetryVerdict = {
  kind: "retry";
  reason: "rate_limit" | "concurrent" | "server_error" | "network" | "unexpected_answer";
  retryAfterMs: number | undefined;
  /** A per-second 429 means the whole account is over budget: every request must wait, not just this one. */
  pauseAll: boolean;
};
export type TokenExpiredVerdict = { kind: "token_expired" };
export type DailyLimitVerdict = { kind: "daily_limit"; resetAt: Date };
export type DoneVerdict<Out> = { kind: "done"; value: Out };

export type Verdict<Out> =
  | RetryVerdict
  | TokenExpiredVerdict
  | DailyLimitVerdict
  | DoneVerdict<Out>
  | FinalVerdict;
