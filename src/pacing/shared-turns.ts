import type { Logger } from "pino";
import type { Clock, Sleeper } from "./clock.js";
import type { SharedSlots } from "./shared-slots.js";
import type { Turns } from "./types.js";
import type { WindowGuard } from "./window-guard.js";

export interface SharedTurnsOptions {
  slots: SharedSlots;
  clock: Clock;
  sleeper: Sleeper;
  logger: Logger | undefined;
  marginMs: number;
  guard: WindowGuard;
  /** Until then this runner starts nothing (its own pause; the others' is in Redis). */
  pausedUntil(): number;
  /** This runner's own rate, which it books its turns at. */
  ownRps(): number;
  /** The pace a turn was booked at: the slowest live runner's. */
  onPace(rps: number): void;
  /** The window guard held a turn back. */
  onGuardWait(): void;
}

/**
 * Turns from a budget shared through Redis (shared-slots.ts): book one, wait for it, take it. One booked turn at a
 * time per runner (the bookings queue here), so that a pause from another runner reaches this one at its next
 * booking and booked turns never pile up. The spacing is the script's, from the slowest live runner's rate.
 */
export function createSharedTurns(options: SharedTurnsOptions): Turns {
  const { slots, clock, sleeper, marginMs, guard } = options;

  const takeTurn = async (stillWaiting: () => boolean): Promise<"go" | "gone"> => {
    for (;;) {
      if (!stillWaiting()) return "gone";
      const guardMs = guard.delayMs(clock.now());
      const holdMs = Math.max(options.pausedUntil() - clock.now(), guardMs);
      if (holdMs > 0) {
        if (guardMs > 0) options.onGuardWait();
        await sleeper.sleep(holdMs);
        continue;
      }
      const { waitMs, paceRps } = await slots.reserve(options.ownRps(), marginMs);
      options.onPace(paceRps);
      const slotAt = clock.now() + waitMs;
      if (waitMs > 0) await sleeper.sleep(waitMs);
      if (!stillWaiting()) return "gone";
      // A turn taken late (an event loop busy elsewhere) would crowd the next runner's request into one second
      // with ours: it is left unused. Half the margin is for this, half for the way from here to Zoom.
      const at = clock.now();
      if (at - slotAt <= marginMs / 2 && at >= options.pausedUntil() && guard.delayMs(at) <= 0) return "go";
    }
  };

  let booking: Promise<unknown> = Promise.resolve();
  return {
    take(stillWaiting) {
      const turn = booking.then(() => takeTurn(stillWaiting));
      booking = turn.catch(() => undefined);
      return turn;
    },
    pause(ms) {
      // In Redis, so that every runner holds (this one also holds by itself, through `pausedUntil`).
      slots
        .pause(ms)
        .catch((error: unknown) => options.logger?.debug({ err: String(error) }, "shared pause failed"));
    },
    space() {
      // The script spaces the turns, at the slowest live runner's rate.
    },
    stop() {},
  };
}
