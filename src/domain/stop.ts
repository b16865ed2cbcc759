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
