import { pino } from "pino";
import { createStopControl } from "../../src/domain/stop.js";
import type { Pacer } from "../../src/pacing/types.js";
import type { Sender } from "../../src/send/sender.js";
import type { ZoomRequest } from "../../src/zoom/operation.js";
import type { ZoomAnswer, ZoomClient } from "../../src/zoom/zoom-client.js";

/** A pacer that starts every attempt at once: tests of what is asked, not of when. */
export function passThroughPacer(): Pacer {
  return {
    schedule: async (attempt) => attempt(() => {}),
    pause: () => {},
    observe: () => {},
    halt: () => {},
    stats: { started: 0, currentRps: 30, minRps: 30, changes: 0, guardWaits: 0 },
    close: async () => {},
  };
}

/** A Zoom client answering each request with `answer(request)`. */
export function fakeClient(answer: (request: ZoomRequest) => ZoomAnswer | Promise<ZoomAnswer>): ZoomClient {
  return { send: async (request) => answer(request) };
}

/** A sender around `client`: no pacing, two attempts, no backoff sleeps, a fixed clock. */
export function testSender(client: ZoomClient, overrides: Partial<Sender> = {}): Sender {
  return {
    client,
    pacers: { Light: passThroughPacer(), Medium: passThroughPacer() },
    stop: createStopControl(),
    maxAttempts: 2,
    random: () => 0,
    now: () => Date.parse("2026-11-29T12:00:00Z"),
    sleep: async () => {},
    logger: pino({ level: "silent" }),
    ...overrides,
  };
}
