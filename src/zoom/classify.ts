/**
 * @deprecated The first two operations' verdicts in the shapes the batch and the look-ups read today; both are
 * `classifyAnswer` with `setStatus` or `getUser`. Goes when those callers use `classifyAnswer` themselves.
 */
import type { ZoomAnswer } from "./answer.js";
import {
  classifyAnswer,
  type DailyLimitVerdict,
  type RetryVerdict,
  type TokenExpiredVerdict,
} from "./classify-answer.js";
import type { FinalVerdict } from "./operation.js";
import { getUser } from "./operations/get-user.js";
import { setStatus } from "./operations/set-status.js";
import type { UserRole, UserStatus } from "./user-record.js";

export type {
  DailyLimitVerdict,
  FinalVerdict,
  RetryVerdict,
  TokenExpiredVerdict,
} from "./classify-answer.js";
export { roleOf, type UserRole, type UserStatus } from "./user-record.js";

export type StatusVerdict =
  | { kind: "success" }
  | RetryVerdict
  | TokenExpiredVerdict
  | DailyLimitVerdict
  | FinalVerdict;

export type LookupVerdict =
  | { kind: "found"; status: UserStatus; role: UserRole; type?: number; id?: string; email?: string }
  | { kind: "not_found"; message: string }
  | RetryVerdict
  | TokenExpiredVerdict
  | DailyLimitVerdict
  | FinalVerdict;

/** Neither operation reads its input when interpreting an answer. */
const ANY_USER = { user: "", action: "deactivate" } as const;

/** @deprecated `classifyAnswer(setStatus, ...)`. */
export function classifyStatusAnswer(answer: ZoomAnswer, now: Date): StatusVerdict {
  const verdict = classifyAnswer(setStatus, ANY_USER, answer, now);
  return verdict.kind === "done" ? { kind: "success" } : verdict;
}

/** @deprecated `classifyAnswer(getUser, ...)`. */
export function classifyLookupAnswer(answer: ZoomAnswer, now: Date): LookupVerdict {
  const verdict = classifyAnswer(getUser, ANY_USER, answer, now);
  return verdict.kind === "done" ? verdict.value : verdict;
}
