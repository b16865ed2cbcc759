import { Agent, MockAgent } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DeadlineError, exchange } from "../../src/zoom/http.js";

const ORIGIN = "https://api.zoom.us";

let agent: MockAgent;
afterEach(async () => {
  vi.useRealTimers();
  await agent.close();
});

function mock() {
  agent = new MockAgent();
  agent.disableNetConnect();
  return agent.get(ORIGIN);
}

const request = (extra: { timeoutMs?: number; onWritten?: () => void } = {}) => ({
  method: "GET" as const,
  url: `${ORIGIN}/v2/users/u1`,
  headers: { accept: "application/json" },
  timeoutMs: extra.timeoutMs ?? 1000,
  onWritten: extra.onWritten,
});

describe("exchange on a MockAgent", () => {
  it("hands back status, lower-cased headers and the whole body", async () => {
    mock()
      .intercept({ path: "/v2/users/u1", method: "GET" })
      .reply(200, '{"id":"u1"}', { headers: { "X-Zm-TrackingId": "t-1" } });
    const answer = await exchange(agent, request());
    expect(answer).toEqual({ status: 200, headers: { "x-zm-trackingid": "t-1" }, text: '{"id":"u1"}' });
  });

  it("calls onWritten once per request, before its answer is handed back", async () => {
    // (Before the server sees it is shown against a real server; a mock computes its reply first.)
    mock().intercept({ path: "/v2/users/u1", method: "GET" }).reply(204, "").times(2);
    const events: string[] = [];
    for (const n of [1, 2]) {
      await exchange(agent, request({ onWritten: () => events.push(`written ${n}`) }));
      events.push(`answer ${n}`);
    }
    expect(events).toEqual(["written 1", "answer 1", "written 2", "answer 2"]);
  });

  it("rejects with the transport's error, code and all", async () => {
    mock()
      .intercept({ path: "/v2/users/u1", method: "GET" })
      .replyWithError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    await expect(exchange(agent, request())).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("rejects at the deadline when the answer is late, and not before", async () => {
    vi.useFakeTimers();
    mock().intercept({ path: "/v2/users/u1", method: "GET" }).reply(200, "{}").delay(10_000);
    let settled = false;
    const pending = exchange(agent, request({ timeoutMs: 1000 })).finally(() => {
      settled = true;
    });
    const outcome = expect(pending).rejects.toBeInstanceOf(DeadlineError);
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    // The late answer arriving afterwards changes nothing.
    await vi.advanceTimersByTimeAsync(10_000);
  });

  it("rejects a request no dispatcher can take (a destroyed pool)", async () => {
    mock();
    const destroyed = new Agent();
    await destroyed.destroy();
    await expect(exchange(destroyed, request())).rejects.toMatchObject({ code: "UND_ERR_DESTROYED" });
  });
});
