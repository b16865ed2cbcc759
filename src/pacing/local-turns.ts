import type Bottleneck from "bottleneck";
import type { Clock, Sleeper } from "./clock.js";
import type { Turns } from "./types.js";
import type { WindowGuard } from "./window-guard.js";

export interface LocalTurnsOptions {
  /** Made with the pacer's concurrency and spacing (`minTime`). */
  bottleneck: Bottleneck;
  clock: Clock;
  sleeper: Sleeper;
  guard: WindowGuard;
  /** Until then nothing starts. */
  pausedUntil(): number;
  /** The window guard held a turn back. */
  onGuardWait(): void;
}

/** Turns of a budget this process has to itself: Bottleneck spaces them (`minTime`); pauses empty its reservoir. */
export function createLocalTurns(options: LocalTurnsOptions): Turns {
  const { bottleneck, clock, sleeper, guard } = options;
  let resumeTimer: unknown;

  const resume = (): void => {
    resumeTimer = undefined;
    const leftMs = options.pausedUntil() - clock.now();
    // A timer may fire a little early. Null lifts the reservoir's cap, and Bottleneck books turns again.
    if (leftMs > 0) resumeTimer = clock.setTimeout(resume, leftMs);
    else void bottleneck.updateSettings({ reservoir: null });
  };

  return {
    async take(stillWaiting) {
      // Bottleneck has started the job: its turn has come, unless a pause came after Bottleneck booked it.
      for (;;) {
        if (!stillWaiting()) return "gone";
        if (clock.now() < options.pausedUntil()) return "again";
        const holdMs = guard.delayMs(clock.now());
        if (holdMs <= 0) return "go";
        options.onGuardWait();
        await sleeper.sleep(holdMs);
      }
    },
    pause() {
      // An empty reservoir stops Bottleneck booking turns until the pause is over.
      if (resumeTimer === undefined) void bottleneck.updateSettings({ reservoir: 0 });
      else clock.clearTimeout(resumeTimer);
      resumeTimer = clock.setTimeout(resume, options.pausedUntil() - clock.now());
    },
    space(minTimeMs) {
      void bottleneck.updateSettings({ minTime: minTimeMs });
    },
    stop() {
      if (resumeTimer !== undefined) clock.clearTimeout(resumeTimer);
      resumeTimer = undefined;
    },
  };
}
