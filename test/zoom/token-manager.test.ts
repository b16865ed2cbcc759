import { afterEach, describe, expect, it } from "vitest";
import { OffboardError } from "../../src/domain/errors.js";
import { createTokenManager, type TokenManagerOptions } from "../../src/zoom/token-manager.js";
import { mockOrigin, type Reply, record } from "./mock-zoom.js";

const SECRET = "s3cr3t-Shh";
const BASIC = Buffer.from(`client-id:${SECRET}`).toString("base64");
const T0 = Date.parse("2026-11-30T18:00:00Z");

let agents: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

/** A token manager against a mocked token endpoint, with a clock that only moves when told (or when it sleeps). */
function setup(respond: (index: number) => Reply, overrides: Partial<TokenManagerOptions> = {}) {
  const { agent, pool } = mockOrigin("https://zoom.us");
  agents.push(agent);
  const seen = record(pool, { path: /^\/oauth\/token/, method: "POST" }, (_, index) => respond(index));
  const clock = { ms: T0 };
  const sleeps: number[] = [];
  const tokens = createTokenManager({
    oauthUrl: "https://zoom.us/oauth/token",
    accountId: "acct/1&x=y",
    clientId: "client-id",
    clientSecret: SECRET,
    dispatcher: agent,
    timeoutMs: 1000,
    now: () => clock.ms,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
    random: () => 0.5,
    ...overrides,
  });
  return { tokens, seen, clock, sleeps };
}

const grant = (token: string, expiresIn = 3600): Reply => ({
  statusCode: 200,
  data: { access_token: token, token_type: "bearer", expires_in: expiresIn, scope: "user:write:admin" },
});
const numbered =
  (expiresIn = 3600) =>
  (index: number) =>
    grant(`tok-${index + 1}`, expiresIn);

async function rejection(promise: Promise<unknown>): Promise<OffboardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OffboardError);
  return error as OffboardError;
}

describe("token request", () => {
  it("posts the grant as a form body, not a query string, with Basic credentials", async () => {
    const { tokens, seen } = setup(numbered());
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.path).toBe("/oauth/token");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(request?.headers["user-agent"]).toMatch(/^zoom-offboard\//);
    const form = new URLSearchParams(request?.body ?? "");
    expect([...form.keys()]).toEqual(["grant_type", "account_id"]);
    expect(form.get("grant_type")).toBe("account_credentials");
    // Encoded, so an odd account id cannot add form fields.
    expect(form.get("account_id")).toBe("acct/1&x=y");
  });

  it("shares one request among concurrent callers (single flight)", async () => {
    const { tokens, seen } = setup(numbered());
    const got = await Promise.all(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(new Set(got)).toEqual(new Set(["tok-1"]));
    expect(seen).toHaveLength(1);
    expect(tokens.refreshCount).toBe(0);
  });
});

describe("refresh before expiry", () => {
  it.each([
    // min(60 s, 10 % of expires_in) before the end.
    { expiresIn: 3600, stillCachedAtS: 3539, refreshedAtS: 3540 },
    { expiresIn: 20, stillCachedAtS: 17.9, refreshedAtS: 18 },
    { expiresIn: 300, stillCachedAtS: 269, refreshedAtS: 270 },
  ])("expires_in $expiresIn: cached at $stillCachedAtS s, refreshed at $refreshedAtS s", async (row) => {
    const { tokens, seen, clock } = setup(numbered(row.expiresIn));
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    clock.ms = T0 + row.stillCachedAtS * 1000;
    await expect(tokens.getToken()).resolves.toBe("tok-1");
    expect(seen).toHaveLength(1);
    clock.ms = T0 + row.refreshedAtS * 1000;
    await expect(tokens.getToken()).resolves.toBe("tok-2");
    expect(seen).toHaveLength(2);
    expect(tokens.refreshCount).toBe(1);
  });
});

describe("invalidate", () => {
  it("drops the token only if it is still the cached one: 20 failures, one refresh", async () => {
    const { tokens, seen } = setup(numbered());
    const old = await tokens.getToken();

    tokens.invalidate("some-other-token");
    await expect(tokens.getToken()).resolves.toBe(old);
    expect(seen).toHaveLength(1);

    // Twenty rows answered code 124 with the old token, each invalidating and asking again.
    const fresh = await Promise.all(
      Array.from({ length: 20 }, async () => {
        tokens.invalidate(old);
        return tokens.getToken();
      }),
    );
    expect(new Set(fresh)).toEqual(new Set(["tok-2"]));
    expect(seen).toHaveLength(2);

    // Late 124s for the old token, after the refresh, change nothing.
    tokens.invalidate(old);
    await expect(tokens.getToken()).resolves.toBe("tok-2");
    expect(seen).toHaveLength(2);
    expect(tokens.refreshCount).toBe(1);

    tokens.invalidate("tok-2");
    await expect(tokens.getToken()).resolves.toBe("tok-3");
    expect(tokens.refreshCount).toBe(2);
  });
});

describe("refused credentials", () => {
  it.each([
    { status: 400, data: { reason: "Invalid client_id or client_secret", error: "invalid_client" } },
    { status: 401, data: { reason: "Invalid client_id or client_secret", error: "invalid_client" } },
  ])("HTTP $status → AUTH_FAILED without the secret, not retried", async ({ status, data }) => {
    const { tokens, seen, sleeps } = setup(() => ({ statusCode: status, data }));
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toBe(
      "Zoom refused the Server-to-Server OAuth credentials (invalid_client: Invalid client_id or client_secret): " +
        "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET",
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(BASIC);
    expect(seen).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  it("redacts the secret even if Zoom echoes it back", async () => {
    const { tokens } = setup(() => ({
      statusCode: 400,
      data: { error: "invalid_client", reason: `bad secret ${SECRET} in Basic ${BASIC}` },
    }));
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(BASIC);
    expect(error.message).toContain("[redacted]");
  });

  it("an empty 400 still names the credentials to check", async () => {
    const { tokens } = setup(() => ({ statusCode: 400 }));
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain("(HTTP 400)");
    expect(error.message).toContain("ZOOM_CLIENT_SECRET");
  });

  it("a 404 (wrong URL) is AUTH_FAILED and points at ZOOM_OAUTH_URL", async () => {
    const { tokens, seen } = setup(() => ({ statusCode: 404, data: "<html>Not Found</html>" }));
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_FAILED");
    expect(error.message).toContain("ZOOM_OAUTH_URL");
    expect(seen).toHaveLength(1);
  });
});

describe("unavailable token endpoint", () => {
  it("retries a 503 after a jittered backoff", async () => {
    const { tokens, seen, sleeps } = setup((index) => (index === 0 ? { statusCode: 503 } : grant("tok-ok")));
    await expect(tokens.getToken()).resolves.toBe("tok-ok");
    expect(seen).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
  });

  it("retries network errors and 429 (honouring Retry-After)", async () => {
    const { agent, pool } = mockOrigin("https://zoom.us");
    agents.push(agent);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .replyWithError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(429, "", { headers: { "retry-after": "3" } });
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, { access_token: "tok-x", expires_in: 3600 });
    const sleeps: number[] = [];
    const tokens = createTokenManager({
      oauthUrl: "https://zoom.us/oauth/token",
      accountId: "a",
      clientId: "c",
      clientSecret: SECRET,
      dispatcher: agent,
      timeoutMs: 1000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0,
    });
    await expect(tokens.getToken()).resolves.toBe("tok-x");
    expect(sleeps).toEqual([0, 3000]);
  });

  it("gives up with AUTH_UNAVAILABLE when 503 lasts longer than the budget", async () => {
    const { tokens, seen, sleeps, clock } = setup(() => ({ statusCode: 503, data: "<html>down</html>" }), {
      random: () => 1,
      unavailableBudgetMs: 60_000,
    });
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_UNAVAILABLE");
    expect(error.message).toContain("HTTP 503");
    expect(error.message).not.toContain(SECRET);
    // Exponential from 500 ms, capped at 10 s; the last wait is cut to what is left of the budget.
    expect(sleeps.slice(0, 6)).toEqual([500, 1000, 2000, 4000, 8000, 10_000]);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(10_000);
    expect(clock.ms - T0).toBe(60_000);
    expect(seen.length).toBeGreaterThanOrEqual(8);
    expect(seen.length).toBeLessThanOrEqual(12);
  });

  it("asks again on the next call after giving up", async () => {
    let down = true;
    const { tokens } = setup(() => (down ? { statusCode: 502 } : grant("tok-back")), {
      unavailableBudgetMs: 1000,
    });
    expect((await rejection(tokens.getToken())).code).toBe("AUTH_UNAVAILABLE");
    down = false;
    await expect(tokens.getToken()).resolves.toBe("tok-back");
  });

  it("times out a hanging token request and retries it", async () => {
    const { agent, pool } = mockOrigin("https://zoom.us");
    agents.push(agent);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, { access_token: "late", expires_in: 60 })
      .delay(10_000);
    pool
      .intercept({ path: "/oauth/token", method: "POST" })
      .reply(200, { access_token: "tok-y", expires_in: 60 });
    const tokens = createTokenManager({
      oauthUrl: "https://zoom.us/oauth/token",
      accountId: "a",
      clientId: "c",
      clientSecret: SECRET,
      dispatcher: agent,
      // Well below the hanging answer's 10 s, well above what an answer takes on a busy machine.
      timeoutMs: 500,
      sleep: async () => {},
    });
    await expect(tokens.getToken()).resolves.toBe("tok-y");
  });

  it.each([
    { name: "HTML", data: "<html>portal</html>" },
    { name: "no token", data: { expires_in: 3600 } },
    { name: "no expiry", data: { access_token: "t" } },
    { name: "expiry as text", data: { access_token: "t", expires_in: "soon" } },
    { name: "empty", data: "" },
  ])("a 2xx without a usable token ($name) → AUTH_UNAVAILABLE, not retried", async ({ data }) => {
    const { tokens, seen } = setup(() => ({ statusCode: 200, data }));
    const error = await rejection(tokens.getToken());
    expect(error.code).toBe("AUTH_UNAVAILABLE");
    expect(error.message).toContain("ZOOM_OAUTH_URL");
    expect(seen).toHaveLength(1);
  });
});
