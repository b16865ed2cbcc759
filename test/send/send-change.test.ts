import { describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import { createStopControl } from "../../src/domain/stop.js";
import { NOT_SENT } from "../../src/pacing/not-sent.js";
import type { Pacer, RateSignal } from "../../src/pacing/types.js";
import { sendChange, transferWording } from "../../src/send/send-change.js";
import type { RequestObserver, Sender } from "../../src/send/sender.js";
import type { ZoomRequest } from "../../src/zoom/operation.js";
import { TRANSFER_ITEMS } from "../../src/zoom/operations/index.js";
import type { ZoomAnswer } from "../../src/zoom/zoom-client.js";
import { fakeClient, passThroughPacer, testSender } from "../helpers/test-sender.js";

const http = (status: number, extra: Partial<Extract<ZoomAnswer, { kind: "http" }>> = {}): ZoomAnswer => ({
  kind: "http",
  status,
  zoomCode: undefined,
  message: undefined,
  body: undefined,
  rateLimitType: undefined,
  rateLimitCategory: undefined,
  rateLimitRemaining: undefined,
  retryAfter: undefined,
  trackingId: `rid-${status}`,
  ...extra,
});
const reset: ZoomAnswer = { kind: "network", errorCode: "ECONNRESET", message: "socket hang up" };

/** Everything Zoom can move to a removed user's transfer target. */
const ALL = TRANSFER_ITEMS;

/** The sender's clock: when each request started, and what a pause counts from. */
const NOW = Date.parse("2026-11-29T12:00:00Z");

/** A pacer that runs attempts at once and records what it was told; the pacing itself is tested elsewhere. */
function recordingPacer() {
  const pauses: number[] = [];
  const pausesSince: (number | undefined)[] = [];
  const signals: RateSignal[] = [];
  let halted = false;
  const pacer: Pacer = {
    ...passThroughPacer(),
    schedule: async <T>(attempt: (written: () => void) => Promise<T>) =>
      halted ? NOT_SENT : attempt(() => {}),
    pause: (ms, since) => {
      pauses.push(ms);
      pausesSince.push(since);
    },
    observe: (signal) => {
      signals.push(signal);
    },
    halt: () => {
      halted = true;
    },
  };
  return { pacer, pauses, pausesSince, signals };
}

function setup(answers: ZoomAnswer[], overrides: Partial<Sender> = {}) {
  const { pacer, pauses, pausesSince, signals } = recordingPacer();
  const stop = createStopControl();
  stop.onStop(() => pacer.halt());
  const sleeps: number[] = [];
  const requests: ZoomRequest[] = [];
  const counted = { sent: 0, answered: 0, rateLimited: 0 };
  const observer: RequestObserver = {
    sent: () => {
      counted.sent += 1;
    },
    answered: () => {
      counted.answered += 1;
    },
    rateLimited: () => {
      counted.rateLimited += 1;
    },
  };
  const client = fakeClient((request) => {
    const answer = answers[Math.min(requests.length, answers.length - 1)];
    requests.push(request);
    if (answer === undefined) throw new Error("no answer scripted");
    return answer;
  });
  const written: Sender["client"] = {
    // The fake client has no connection: a request counts as written when it is sent.
    send: async (request, options) => {
      options?.written?.();
      return client.send(request);
    },
  };
  const deps = testSender(written, {
    pacers: { Light: pacer, Medium: passThroughPacer() },
    stop,
    maxAttempts: 5,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => NOW,
    observer,
    ...overrides,
  });
  return {
    deps,
    pauses,
    pausesSince,
    signals,
    sleeps,
    stop,
    counted,
    requests,
    calls: () => requests.length,
  };
}

describe("sendChange (a status change)", () => {
  it.each([
    { name: "204", answers: [http(204)], outcome: "applied", attempts: 1, httpStatus: 204 },
    { name: "200", answers: [http(200)], outcome: "applied", attempts: 1, httpStatus: 200 },
    {
      name: "404 code 1001",
      answers: [http(404, { zoomCode: 1001, message: "User does not exist: x." })],
      outcome: "not_found",
      attempts: 1,
      httpStatus: 404,
    },
    {
      name: "400 code 200 (admin)",
      answers: [http(400, { zoomCode: 200, message: "Zoom Room and Admin users' status cannot be changed" })],
      outcome: "rejected",
      attempts: 1,
      httpStatus: 400,
    },
    {
      name: "503 then 204",
      answers: [http(503), http(204)],
      outcome: "applied",
      attempts: 2,
      httpStatus: 204,
    },
    { name: "reset then 204", answers: [reset, http(204)], outcome: "applied", attempts: 2, httpStatus: 204 },
    { name: "five 502s", answers: [http(502)], outcome: "failed", attempts: 5, httpStatus: 502 },
    { name: "only resets", answers: [reset], outcome: "failed", attempts: 5, httpStatus: undefined },
    { name: "redirect", answers: [http(302)], outcome: "failed", attempts: 1, httpStatus: 302 },
  ])("$name ends $outcome after $attempts attempts", async ({ answers, outcome, attempts, httpStatus }) => {
    const { deps } = setup(answers);
    const result = await sendChange({ action: "deactivate", user: "alice@example.com" }, ALL, deps);
    expect(result).toMatchObject({ outcome, attempts, httpStatus });
  });

  it("keeps the last HTTP status and tracking id when the last failure was a network error", async () => {
    const { deps } = setup([http(503), reset, reset, reset, reset]);
    const result = await sendChange({ action: "deactivate", user: "u1" }, ALL, deps);
    expect(result).toMatchObject({ outcome: "failed", httpStatus: 503, trackingId: "rid-503", attempts: 5 });
    expect(result.message).toContain("ECONNRESET");
  });

  it("pauses the whole limiter on a QPS 429, for Retry-After when given, ~1 s otherwise", async () => {
    const { deps, pauses, pausesSince, sleeps, counted } = setup([
      http(429, { rateLimitType: "QPS", message: "You have reached the maximum per-second rate limit" }),
      http(429, { retryAfter: "3" }),
      http(204),
    ]);
    const result = await sendChange({ action: "deactivate", user: "u1" }, ALL, deps);
    expect(result).toMatchObject({ outcome: "applied", attempts: 3 });
    expect(pauses).toEqual([1000, 3000]);
    // The ~1 s counts from the refused request's start (its round trip is part of Zoom's second); Retry-After
    // counts from the answer that carried it.
    expect(pausesSince).toEqual([NOW, undefined]);
    expect(sleeps[1]).toBe(3000);
    expect(counted).toEqual({ sent: 3, answered: 3, rateLimited: 2 });
  });

  it("does not pause the limiter for a per-user concurrency 429", async () => {
    const { deps, pauses } = setup([http(429, { message: "Too many concurrent requests." }), http(204)]);
    expect((await sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).outcome).toBe("applied");
    expect(pauses).toEqual([]);
  });

  it("repeats once at once after code 124 without using up an attempt", async () => {
    const expired = http(401, { zoomCode: 124, message: "Access token is expired." });
    const { deps, sleeps } = setup([expired, http(204)]);
    const result = await sendChange({ action: "deactivate", user: "u1" }, ALL, deps);
    expect(result).toMatchObject({ outcome: "applied", attempts: 2 });
    expect(sleeps).toEqual([]);
  });

  it("counts a second 124 in a row as a failure, so a broken token cannot loop forever", async () => {
    const expired = http(401, { zoomCode: 124, message: "Invalid access token." });
    const { deps } = setup([expired]);
    const result = await sendChange({ action: "deactivate", user: "u1" }, ALL, { ...deps, maxAttempts: 3 });
    expect(result).toMatchObject({ outcome: "failed", attempts: 4, zoomCode: 124 });
  });

  it("stops the run on the daily limit and leaves the row not_attempted with the reset time", async () => {
    const { deps, stop, calls } = setup([
      http(429, { rateLimitType: "Daily-limit", retryAfter: "2026-11-30T00:00:00Z" }),
    ]);
    const result = await sendChange({ action: "deactivate", user: "u1" }, ALL, deps);
    expect(result.outcome).toBe("not_attempted");
    expect(result.message).toContain("2026-11-30T00:00:00.000Z");
    expect(stop.reason).toEqual({ kind: "daily_limit", resetAt: new Date("2026-11-30T00:00:00Z") });
    expect(calls()).toBe(1);
    // Nothing more goes out once stopped.
    expect((await sendChange({ action: "deactivate", user: "u2" }, ALL, deps)).outcome).toBe("not_attempted");
    expect(calls()).toBe(1);
  });

  it("stops the run when the app lacks a scope, since every row would fail alike", async () => {
    const { deps, stop } = setup([
      http(400, { zoomCode: 4711, message: "Invalid access token, does not contain scopes" }),
    ]);
    expect((await sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).outcome).toBe("rejected");
    expect(stop.reason?.kind).toBe("systemic");
  });

  it("ends a row waiting to retry as not_attempted when the run stops (undecided, resumable), like one never sent", async () => {
    const { deps, stop } = setup([http(503)]);
    deps.sleep = async () => {
      stop.stop({ kind: "signal", signal: "SIGTERM" });
      throw new Error("aborted");
    };
    expect(await sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).toMatchObject({
      outcome: "not_attempted",
      attempts: 1,
      httpStatus: 503,
    });
    expect((await sendChange({ action: "deactivate", user: "u2" }, ALL, deps)).outcome).toBe("not_attempted");
  });

  it("turns a token endpoint failure into a stop, not a thrown error", async () => {
    const { deps, stop } = setup([http(204)]);
    deps.client = {
      send: async () => {
        throw new OffboardError("AUTH_UNAVAILABLE", "token endpoint unavailable");
      },
    };
    expect((await sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).outcome).toBe("not_attempted");
    expect(stop.reason).toEqual({ kind: "auth", message: "token endpoint unavailable" });
  });

  it("lets a bug of ours through: an unexpected error is never reported as the token endpoint's", async () => {
    const { deps, stop } = setup([http(204)]);
    deps.client = {
      send: async () => {
        throw new TypeError("x is undefined");
      },
    };
    await expect(sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).rejects.toThrow(TypeError);
    expect(stop.reason).toBeUndefined();
  });

  it("sends PUT /users/{id}/status with the action, the user percent-encoded", async () => {
    const { deps, requests } = setup([http(204)]);
    await sendChange({ action: "activate", user: "a/b@x.com" }, ALL, deps);
    expect(requests).toEqual([
      { method: "PUT", path: "/users/a%2Fb%40x.com/status", body: { action: "activate" } },
    ]);
  });

  it.each([
    {
      name: "QPS 429 then 204 with 12 remaining",
      answers: [http(429, { rateLimitType: "QPS" }), http(204, { rateLimitRemaining: 12 })],
      signals: [
        { kind: "rate_limited", sentAt: NOW },
        { kind: "answered", remaining: 12 },
      ],
    },
    {
      name: "concurrency 429 then 204 without the header",
      answers: [http(429, { message: "Too many concurrent requests." }), http(204)],
      signals: [
        { kind: "answered", remaining: undefined },
        { kind: "answered", remaining: undefined },
      ],
    },
    {
      name: "reset then 204",
      answers: [reset, http(204)],
      signals: [{ kind: "answered", remaining: undefined }],
    },
  ])("tells the limiter what Zoom said for adaptive pacing: $name", async ({ answers, signals }) => {
    const setupResult = setup(answers);
    await sendChange({ action: "deactivate", user: "u1" }, ALL, setupResult.deps);
    expect(setupResult.signals).toEqual(signals);
  });

  it("turns a lost shared limit (Redis) into a stop of its own kind, the row not_attempted", async () => {
    const { deps, stop, calls } = setup([http(204)]);
    deps.pacers = {
      ...deps.pacers,
      Light: {
        ...passThroughPacer(),
        schedule: async () => {
          throw new OffboardError("REDIS_UNAVAILABLE", "lost Redis at 127.0.0.1:6379 for over 10 s");
        },
      },
    };
    expect((await sendChange({ action: "deactivate", user: "u1" }, ALL, deps)).outcome).toBe("not_attempted");
    expect(stop.reason).toEqual({ kind: "redis", message: "lost Redis at 127.0.0.1:6379 for over 10 s" });
    expect(calls()).toBe(0);
  });
});

describe("transferWording", () => {
  it("names what moved and to whom, and what --transfer left behind", () => {
    expect(transferWording("boss@x.com", [...TRANSFER_ITEMS])).toBe(
      "meetings, webinars, recordings, whiteboards, clips, notes, docs, visitors moved to boss@x.com",
    );
    expect(transferWording("boss@x.com", ["meeting", "recording"])).toBe(
      "meetings, recordings moved to boss@x.com; not transferred: webinars, whiteboards, clips, notes, docs, visitors",
    );
  });

  it("says so when nothing moves", () => {
    expect(transferWording(undefined, [...TRANSFER_ITEMS])).toBe("no data transferred");
    expect(transferWording("boss@x.com", [])).toBe("no data transferred");
  });
});
