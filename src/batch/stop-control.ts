/** Why a run stopped before deciding every row. */
export type StopReason =
  | { kind: "daily_limit"; resetAt: Date }
  | { kind: "signal"; signal: string }
  | { kind: "systemic"; message: string }
  | { kind: "auth"; message: string }
  /** A safety guard refused the file before anything was changed. */
  | { kind: "guard"; message: string }
  /** The person at the terminal did not confirm the plan. */
  | { kind: "declined" }
  /** The Redis of a shared budget (--redis) stayed away too long. */
  | { kind: "redis"; message: string };

export interface StopControl {
  readonly stopped: boolean;
  readonly reason: StopReason | undefined;
  /** Aborted on stop, so waits between retries end at once. */
  readonly signal: AbortSignal;
  /** First reason wins; later calls are ignored. */
  stop(reason: StopReason): void;
  onStop(listener: (reason: StopReason) => void): void;
}

export function createStopControl(): StopControl {
  const controller = new AbortController();
  const listeners: Array<(reason: StopReason) => void> = [];
  let reason: StopReason | undefined;
  return {
    get stopped() {
      return reason !== undefined;
    },
    get reason() {
      return reason;
    },
    signal: controller.signal,
    stop(next) {
      if (reason !== undefined) return;
      reason = next;
      controller.abort();
      for (const listener of listeners) listener(next);
    },
    onStop(listener) {
      listeners.push(listener);
    },
  };
}

/** One line for people: why the run stopped and what to do next. */
export function describeStop(reason: StopReason): string {
  switch (reason.kind) {
    case "daily_limit":
      return `Zoom's daily rate limit was reached; it resets at ${reason.resetAt.toISOString()}. Rows not yet sent are not_attempted: run them again after the reset.`;
    case "signal":
      return `stopped by ${reason.signal}; rows not yet sent are not_attempted.`;
    case "systemic":
      return `stopped because every row would fail the same way: ${reason.message}`;
    case "auth":
      return `stopped because Zoom's token endpoint failed: ${reason.message}`;
    case "guard":
      return reason.message;
    case "declined":
      return "not confirmed at the prompt: nothing was changed.";
    case "redis":
      return `stopped because the shared rate limit was unavailable: ${reason.message}. Rows not yet sent are not_attempted: run them again once Redis is back.`;
  }
}
