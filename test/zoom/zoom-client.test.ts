import { afterEach, describe, expect, it, vi } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import type { ZoomRequest } from "../../src/zoom/operation.js";
import { getUser, listUsers, setStatus } from "../../src/zoom/operations/index.js";
import type { TokenManager } from "../../src/zoom/token-manager.js";
import { createZoomClient, type ZoomAnswer } from "../../src/zoom/zoom-client.js";
import { mockOrigin, type Reply, record, type SeenRequest } from "./mock-zoom.js";

const API = "https://api.zoom.us";

let agents: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

function fakeTokens(token = "tok-1") {
  return {
    getToken: vi.fn(async () => token),
    invalidate: vi.fn<(token: string) => void>(),
    refreshCount: 0,
  } satisfies TokenManager;
}

function setup(respond: (index: number) => Reply, options: { apiUrl?: string; timeoutMs?: number } = {}) {
  const { agent, pool } = mockOrigin(API);
  agents.push(agent);
  const seen = record(pool, { path: () => true, method: () => true }, (_, index) => respond(index));
  const tokens = fakeTokens();
  const client = createZoomClient({
    apiUrl: options.apiUrl ?? `${API}/v2`,
    dispatcher: agent,
    tokens,
    timeoutMs: options.timeoutMs ?? 1000,
    userAgent: "zoom-offboard/9.9.9",
  });
  return { client, seen, tokens, agent, pool };
}

const DEACTIVATE_U1 = { method: "PUT", path: "/users/u1/status", body: { action: "deactivate" } } as const;

function http(answer: ZoomAnswer): Extract<ZoomAnswer, { kind: "http" }> {
  if (answer.kind !== "http") throw new Error(`expected an HTTP answer, got ${JSON.stringify(answer)}`);
  return answer;
}

interface SendCase {
  name: string;
  request: ZoomRequest;
  seen: Partial<SeenRequest>;
  json: boolean;
}

const SEND_CASES: SendCase[] = [
  {
    name: "a PUT with a JSON body",
    request: { method: "PUT", path: "/users/jo%40example.com/status", body: { action: "deactivate" } },
    seen: { method: "PUT", path: "/v2/users/jo%40example.com/status", body: '{"action":"deactivate"}' },
    json: true,
  },
  {
    name: "a PATCH with a JSON body",
    request: { method: "PATCH", path: "/users/u1", body: { type: 1 } },
    seen: { method: "PATCH", path: "/v2/users/u1", body: '{"type":1}' },
    json: true,
  },
  {
    name: "a GET with a query, values encoded",
    request: { method: "GET", path: "/users", query: { status: "pending", next_page_token: "a+b/c=" } },
    seen: { method: "GET", path: "/v2/users?status=pending&next_page_token=a%2Bb%2Fc%3D", body: undefined },
    json: false,
  },
  {
    name: "a DELETE with a query and no body",
    request: {
      method: "DELETE",
      path: "/users/u1",
      query: { action: "delete", transfer_email: "heir@example.com", transfer_meeting: "true" },
    },
    seen: {
      method: "DELETE",
      path: "/v2/users/u1?action=delete&transfer_email=heir%40example.com&transfer_meeting=true",
      body: undefined,
    },
    json: false,
  },
  {
    name: "an empty query adds no `?`",
    request: { method: "DELETE", path: "/users/u1/token", query: {} },
    seen: { method: "DELETE", path: "/v2/users/u1/token", body: undefined },
    json: false,
  },
];

describe("send", () => {
  it.each(SEND_CASES)("$name", async ({ request, seen: expected, json }) => {
    const { client, seen } = setup(() => ({ statusCode: 204 }));
    await client.send(request);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(expected);
    expect(seen[0]?.headers).toEqual({
      authorization: "Bearer tok-1",
      accept: "application/json",
      "user-agent": "zoom-offboard/9.9.9",
      ...(json ? { "content-type": "application/json" } : {}),
    });
  });

  it("calls `written` once per request", async () => {
    const { client } = setup(() => ({ statusCode: 204 }));
    let written = 0;
    await client.send({ method: "DELETE", path: "/users/u1/token" }, { written: () => (written += 1) });
    expect(written).toBe(1);
    await client.send({ method: "DELETE", path: "/users/u2/token" });
    expect(written).toBe(1);
  });

  it("asks the token manager for each request", async () => {
    const { client, tokens } = setup(() => ({ statusCode: 204 }));
    await client.send({ method: "GET", path: "/users/u1" });
    await client.send({ method: "GET", path: "/users/u2" });
    expect(tokens.getToken).toHaveBeenCalledTimes(2);
  });
});

describe("setStatus request", () => {
  it('sends PUT /users/{id}/status with exactly {"action":"deactivate"} as JSON', async () => {
    const { client, seen } = setup(() => ({ statusCode: 204 }));
    await client.send(setStatus.request({ user: "jo@example.com", action: "deactivate" }));
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe("PUT");
    expect(request?.path).toBe("/v2/users/jo%40example.com/status");
    expect(request?.body).toBe('{"action":"deactivate"}');
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBe("Bearer tok-1");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("zoom-offboard/9.9.9");
  });

  it("tells each call's onWire when its request goes out (the rate limiter counts it from then)", async () => {
    const { client, seen } = setup(() => ({ statusCode: 204 }));
    const wired: string[] = [];
    // (Whether before the write is checked against a real server in http.test.ts; the mock records first.)
    await client.send(setStatus.request({ user: "jo@example.com", action: "deactivate" }), {
      written: () => wired.push("put"),
    });
    await client.send(getUser.request({ user: "jo@example.com" }), { written: () => wired.push("get") });
    await client.send(listUsers.request({ status: "active", pageSize: 300 }), {
      written: () => wired.push("list"),
    });
    expect(wired).toEqual(["put", "get", "list"]);
    expect(seen).toHaveLength(3);
  });

  it.each([
    { user: "../../accounts/x", path: "/v2/users/..%2F..%2Faccounts%2Fx/status" },
    { user: "a/b", path: "/v2/users/a%2Fb/status" },
    { user: "a@b.com", path: "/v2/users/a%40b.com/status" },
    { user: "x?y=1#z", path: "/v2/users/x%3Fy%3D1%23z/status" },
    { user: "KdYKjnimT4KPd8FFgQt9FQ", path: "/v2/users/KdYKjnimT4KPd8FFgQt9FQ/status" },
  ])("keeps $user inside one path segment", async ({ user, path }) => {
    const { client, seen } = setup(() => ({ statusCode: 204 }));
    await client.send(setStatus.request({ user: user, action: "activate" }));
    expect(seen[0]?.path).toBe(path);
    expect(seen[0]?.body).toBe('{"action":"activate"}');
  });

  it("strips a trailing slash of the API URL", async () => {
    const { client, seen } = setup(() => ({ statusCode: 204 }), { apiUrl: `${API}/v2/` });
    await client.send(setStatus.request({ user: "u1", action: "deactivate" }));
    expect(seen[0]?.path).toBe("/v2/users/u1/status");
  });
});

describe("answers", () => {
  it("204 with an empty body", async () => {
    const { client } = setup(() => ({
      statusCode: 204,
      headers: { "x-zm-trackingid": "v=2.0;clid=us06;rid=A1" },
    }));
    const answer = http(await client.send(setStatus.request({ user: "u1", action: "deactivate" })));
    expect(answer).toMatchObject({ status: 204, zoomCode: undefined, message: undefined, body: undefined });
    expect(answer.trackingId).toBe("v=2.0;clid=us06;rid=A1");
  });

  it("200 with a body keeps the body and reads no error code from it", async () => {
    const { client } = setup(() => ({ statusCode: 200, data: { id: "u1", status: "active", code: 5 } }));
    const answer = http(await client.send(getUser.request({ user: "u1" })));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: "u1", status: "active", code: 5 });
    expect(answer.zoomCode).toBeUndefined();
  });

  it("reads Zoom's error body and rate-limit headers whatever their case", async () => {
    const { client } = setup(() => ({
      statusCode: 429,
      data: { code: 429, message: "You have reached the maximum per-second rate limit for this API." },
      headers: {
        "X-Zm-TrackingId": "track-1",
        "Retry-After": "2",
        "X-RateLimit-Type": "QPS",
        "X-RateLimit-Category": "Light",
        "X-RateLimit-Remaining": "0",
      },
    }));
    const answer = http(await client.send(setStatus.request({ user: "u1", action: "deactivate" })));
    expect(answer).toMatchObject({
      status: 429,
      zoomCode: 429,
      message: "You have reached the maximum per-second rate limit for this API.",
      trackingId: "track-1",
      retryAfter: "2",
      rateLimitType: "QPS",
      rateLimitCategory: "Light",
      rateLimitRemaining: 0,
    });
  });

  it("tolerates an HTML 502 page and missing headers", async () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const { client } = setup(() => ({
      statusCode: 502,
      data: html,
      headers: { "content-type": "text/html" },
    }));
    const answer = http(await client.send(setStatus.request({ user: "u1", action: "deactivate" })));
    expect(answer).toMatchObject({
      status: 502,
      zoomCode: undefined,
      message: undefined,
      body: html,
      retryAfter: undefined,
      trackingId: undefined,
      rateLimitRemaining: undefined,
    });
  });

  it("404 code 1001", async () => {
    const { client } = setup(() => ({
      statusCode: 404,
      data: { code: 1001, message: "User does not exist: u1." },
    }));
    expect(http(await client.send(setStatus.request({ user: "u1", action: "deactivate" })))).toMatchObject({
      status: 404,
      zoomCode: 1001,
      message: "User does not exist: u1.",
    });
  });
});

describe("expired token (code 124)", () => {
  it.each([401, 400])("HTTP %i code 124 invalidates the token that was used", async (status) => {
    const { client, tokens } = setup(() => ({
      statusCode: status,
      data: { code: 124, message: "Invalid access token." },
    }));
    const answer = http(await client.send(DEACTIVATE_U1));
    expect(answer.zoomCode).toBe(124);
    expect(tokens.invalidate).toHaveBeenCalledTimes(1);
    expect(tokens.invalidate).toHaveBeenCalledWith("tok-1");
  });

  it("other errors leave the token alone", async () => {
    const { client, tokens } = setup(() => ({
      statusCode: 401,
      data: { code: 401, message: "Unauthorized" },
    }));
    await client.send(DEACTIVATE_U1);
    expect(tokens.invalidate).not.toHaveBeenCalled();
  });
});

describe("network failures resolve, never throw", () => {
  it.each([
    { code: "ECONNRESET", message: "read ECONNRESET" },
    { code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:443" },
    { code: "UND_ERR_SOCKET", message: "other side closed" },
  ])("$code → kind network", async ({ code, message }) => {
    const { agent, pool } = mockOrigin(API);
    agents.push(agent);
    pool
      .intercept({ path: "/v2/users/u1/status", method: "PUT" })
      .replyWithError(Object.assign(new Error(message), { code }));
    const client = createZoomClient({
      apiUrl: `${API}/v2`,
      dispatcher: agent,
      tokens: fakeTokens(),
      timeoutMs: 1000,
    });
    const answer = await client.send(DEACTIVATE_U1);
    expect(answer).toEqual({ kind: "network", errorCode: code, message });
  });

  it("a timeout → kind network, code TIMEOUT", async () => {
    const { agent, pool } = mockOrigin(API);
    agents.push(agent);
    // An answer that would take 10 s against a 200 ms deadline: room for a busy machine on both sides.
    pool.intercept({ path: "/v2/users/u1/status", method: "PUT" }).reply(204, "").delay(10_000);
    const client = createZoomClient({
      apiUrl: `${API}/v2`,
      dispatcher: agent,
      tokens: fakeTokens(),
      timeoutMs: 200,
    });
    const started = Date.now();
    const answer = await client.send(DEACTIVATE_U1);
    expect(answer).toMatchObject({ kind: "network", errorCode: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("run-level token errors do propagate", async () => {
    const { agent } = mockOrigin(API);
    agents.push(agent);
    const tokens: TokenManager = {
      getToken: () => Promise.reject(new OffboardError("AUTH_FAILED", "refused")),
      invalidate: () => {},
      refreshCount: 0,
    };
    const client = createZoomClient({ apiUrl: `${API}/v2`, dispatcher: agent, tokens, timeoutMs: 100 });
    await expect(client.send(DEACTIVATE_U1)).rejects.toMatchObject({ code: "AUTH_FAILED" });
  });
});

describe("lookups", () => {
  it("getUser: GET /users/{encoded}", async () => {
    const { client, seen } = setup(() => ({ statusCode: 200, data: { id: "x", status: "active" } }));
    await client.send(getUser.request({ user: "a/b@c.com" }));
    expect(seen[0]).toMatchObject({ method: "GET", path: "/v2/users/a%2Fb%40c.com" });
    expect(seen[0]?.body).toBeUndefined();
    expect(seen[0]?.headers["content-type"]).toBeUndefined();
  });

  it.each([
    { query: { status: "inactive", pageSize: 300 }, path: "/v2/users?status=inactive&page_size=300" },
    {
      query: { status: "pending", pageSize: 100, nextPageToken: "a+b/c=" },
      path: "/v2/users?status=pending&page_size=100&next_page_token=a%2Bb%2Fc%3D",
    },
  ] as const)("listUsers $query", async ({ query, path }) => {
    const { client, seen } = setup(() => ({ statusCode: 200, data: { users: [], next_page_token: "" } }));
    await client.send(listUsers.request(query));
    expect(seen[0]).toMatchObject({ method: "GET", path });
  });
});
