import type { StopReason } from "../domain/stop.js";

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
