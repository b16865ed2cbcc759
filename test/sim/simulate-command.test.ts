import { afterAll, describe, expect, it } from "vitest";
import { parseSimulateOptions, runSimulate, simulateCommand } from "../../src/cli/commands/simulate.js";
import type { SimulatorOptions } from "../../src/sim/server.js";
import { agent, call, getToken, getUser, requestToken } from "./helpers.js";

afterAll(() => agent.close());

describe("parseSimulateOptions", () => {
  it.each<{ flags: Record<string, string>; options: SimulatorOptions }>([
    { flags: {}, options: { tier: "pro", host: "127.0.0.1", port: 0, faults: {} } },
    {
      flags: {
        tier: "free",
        port: "9090",
        host: "0.0.0.0",
        lightRps: "2.5",
        dailyLimit: "100",
        generate: "10",
      },
      options: {
        tier: "free",
        host: "0.0.0.0",
        port: 9090,
        lightRps: 2.5,
        dailyLightLimit: 100,
        generateUsers: 10,
        faults: {},
      },
    },
    {
      flags: {
        latency: "40",
        jitter: "10",
        errorRate: "0.1",
        dropRate: "0",
        lostRate: "1",
        otherApp: "0.25",
      },
      options: {
        tier: "pro",
        host: "127.0.0.1",
        port: 0,
        latencyMs: 40,
        latencyJitterMs: 10,
        faults: { serverErrorRate: 0.1, dropRate: 0, lostResponseRate: 1 },
        otherAppShare: 0.25,
      },
    },
    {
      flags: { tokenLifetime: "0.5", seed: "-3", tier: "business" },
      options: { tier: "business", host: "127.0.0.1", port: 0, faults: {}, tokenLifetimeSec: 0.5, seed: -3 },
    },
    {
      flags: { scopes: " user:read:admin  user:delete:user:admin " },
      options: {
        tier: "pro",
        host: "127.0.0.1",
        port: 0,
        faults: {},
        scopes: ["user:read:admin", "user:delete:user:admin"],
      },
    },
    { flags: { scopes: "" }, options: { tier: "pro", host: "127.0.0.1", port: 0, faults: {}, scopes: [] } },
    {
      flags: { unappliedRate: "0.2", unappliedUsers: " a@x.com, u1 ,," },
      options: {
        tier: "pro",
        host: "127.0.0.1",
        port: 0,
        faults: { unappliedRate: 0.2 },
        unappliedUsers: ["a@x.com", "u1"],
      },
    },
  ])("$flags", ({ flags, options }) => {
    expect(parseSimulateOptions(flags)).toEqual(options);
  });

  it.each([
    {
      flags: { tier: "enterprise" },
      message: "Expected `--tier` to be free | pro | business, got `enterprise`",
    },
    { flags: { port: "http" }, message: "Expected `--port` to be an integer from 0 to 65535, got `http`" },
    { flags: { port: "70000" }, message: "`--port`" },
    { flags: { port: "" }, message: "`--port`" },
    { flags: { lightRps: "0" }, message: "Expected `--light-rps` to be a number >= 1, got `0`" },
    { flags: { dailyLimit: "1.5" }, message: "Expected `--daily-limit` to be an integer >= 0, got `1.5`" },
    { flags: { generate: "-1" }, message: "`--generate`" },
    { flags: { latency: "fast" }, message: "`--latency`" },
    { flags: { jitter: "-5" }, message: "`--jitter`" },
    { flags: { errorRate: "1.1" }, message: "Expected `--error-rate` to be a number from 0 to 1, got `1.1`" },
    { flags: { dropRate: "NaN" }, message: "`--drop-rate`" },
    { flags: { lostRate: "50%" }, message: "`--lost-rate`" },
    {
      flags: { unappliedRate: "-0.1" },
      message: "Expected `--unapplied-rate` to be a number from 0 to 1, got `-0.1`",
    },
    { flags: { otherApp: "2" }, message: "`--other-app`" },
    { flags: { tokenLifetime: "0" }, message: "Expected `--token-lifetime` to be a number > 0, got `0`" },
    { flags: { seed: "1e400" }, message: "`--seed`" },
    { flags: { scopes: "user:read:admin,user:write:admin" }, message: "`--scopes`" },
  ])("refuses $flags", ({ flags, message }) => {
    expect(() => parseSimulateOptions(flags)).toThrow(expect.objectContaining({ code: "USAGE" }));
    expect(() => parseSimulateOptions(flags)).toThrow(message);
  });

  it.each([
    { env: {}, credentials: undefined },
    {
      env: { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "c", ZOOM_CLIENT_SECRET: "s" },
      credentials: { accountId: "a", clientId: "c", clientSecret: "s" },
    },
    {
      env: { ZOOM_CLIENT_ID: "c" },
      credentials: { accountId: "sim-account", clientId: "c", clientSecret: "sim-secret" },
    },
    { env: { ZOOM_ACCOUNT_ID: "" }, credentials: undefined },
  ])("credentials from $env", ({ env, credentials }) => {
    expect(parseSimulateOptions({}, env).credentials).toEqual(credentials);
  });
});

function capture() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

describe("runSimulate", () => {
  it("prints one JSON line on stdout, a hint on stderr, serves until told, then closes", async () => {
    const stdout = capture();
    const stderr = capture();
    let stop: () => void = () => {};
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const credentials = { accountId: "acc", clientId: "cid", clientSecret: "secret-value" };
    const running = runSimulate(
      { ...parseSimulateOptions({ generate: "3" }), credentials },
      { stdout, stderr, until },
    );
    await expect.poll(() => stdout.text()).toMatch(/\n$/);

    const lines = stdout.text().split("\n");
    expect(lines).toHaveLength(2);
    const announced = JSON.parse(lines[0] ?? "") as { url: string; apiUrl: string; oauthUrl: string };
    expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(announced).toEqual({
      url: announced.url,
      apiUrl: `${announced.url}/v2`,
      oauthUrl: `${announced.url}/oauth/token`,
    });
    expect(stderr.text()).toContain(announced.apiUrl);
    expect(stderr.text()).not.toContain("secret-value");

    expect((await requestToken(announced)).status).toBe(400); // the defaults no longer work
    expect((await requestToken(announced, credentials)).status).toBe(200);
    const stats = await call(`${announced.url}/_sim/stats`);
    expect(stats.json).toMatchObject({ tokenRequests: 2 });
    const user = await call(`${announced.url}/_sim/users/user3%40example.com`);
    expect(user.status).toBe(200);

    stop();
    await running;
    await expect(call(`${announced.url}/_sim/stats`)).rejects.toThrow();
  });

  it("serves the configured users with the configured credentials", async () => {
    const stdout = capture();
    let stop: () => void = () => {};
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const running = runSimulate(
      { users: [{ id: "u1", email: "a@b.com", status: "active", role: "member" }] },
      { stdout, stderr: capture(), until },
    );
    await expect.poll(() => stdout.text()).toMatch(/\n$/);
    const announced = JSON.parse(stdout.text()) as { url: string; apiUrl: string; oauthUrl: string };
    const token = await getToken(announced);
    expect((await getUser(announced, token, "a@b.com")).json).toMatchObject({ id: "u1" });
    stop();
    await running;
  });
});

describe("simulateCommand", () => {
  it("is named simulate and has the documented options", () => {
    const command = simulateCommand();
    expect(command.name()).toBe("simulate");
    expect(command.options.map((o) => o.long)).toEqual([
      "--port",
      "--host",
      "--tier",
      "--light-rps",
      "--daily-limit",
      "--users",
      "--generate",
      "--latency",
      "--jitter",
      "--error-rate",
      "--drop-rate",
      "--lost-rate",
      "--unapplied-rate",
      "--unapplied-users",
      "--other-app",
      "--token-lifetime",
      "--seed",
      "--scopes",
    ]);
  });

  it.each([
    { args: ["--light-rps", "zero"], code: "USAGE" },
    { args: ["--users", "fixtures/does-not-exist.csv"], code: "CONFIG_INVALID" },
  ])("fails before listening: $args → $code", async ({ args, code }) => {
    const listeners = process.listenerCount("SIGTERM");
    const command = simulateCommand().exitOverride();
    await expect(command.parseAsync(args, { from: "user" })).rejects.toMatchObject({ code });
    expect(process.listenerCount("SIGTERM")).toBe(listeners);
  });
});
