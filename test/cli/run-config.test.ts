import { describe, expect, it } from "vitest";
import { resolveRunConfig } from "../../src/cli/run-config.js";

const creds = { ZOOM_ACCOUNT_ID: "acc", ZOOM_CLIENT_ID: "cid", ZOOM_CLIENT_SECRET: "s3cret-value" };
// Real runs without a terminal need --yes; most cases here are about other flags.
const terminal = { interactive: true };

describe("resolveRunConfig", () => {
  it("defaults to the pro tier's Light limit with concurrency to match", () => {
    const config = resolveRunConfig("in.csv", {}, creds, terminal);
    expect(config).toMatchObject({
      tier: "pro",
      rps: 30,
      tierRps: 30,
      concurrency: 30,
      maxAttempts: 5,
      timeoutMs: 15_000,
      apiUrl: "https://api.zoom.us/v2",
      oauthUrl: "https://zoom.us/oauth/token",
      dryRun: false,
      logLevel: "info",
    });
    expect(config.credentials).toEqual({ accountId: "acc", clientId: "cid", clientSecret: "s3cret-value" });
  });

  it.each([
    [{ tier: "free" }, 4],
    [{ tier: "BUSINESS" }, 80],
    [{ tier: "business", rps: "50" }, 50],
    [{ tier: "custom", rps: "200" }, 200],
  ])("%j paces at %i/s", (flags, rps) => {
    expect(resolveRunConfig("in.csv", flags, creds, terminal).rps).toBe(rps);
  });

  it("reads the tier and URLs from the environment", () => {
    const config = resolveRunConfig(
      "in.csv",
      { yes: true },
      {
        ...creds,
        ZOOM_TIER: "business",
        ZOOM_API_URL: "http://127.0.0.1:9/v2/",
        ZOOM_OAUTH_URL: "http://127.0.0.1:9/oauth/token",
        LOG_LEVEL: "debug",
      },
    );
    expect(config).toMatchObject({ rps: 80, apiUrl: "http://127.0.0.1:9/v2", logLevel: "debug" });
  });

  it.each([
    [{ tier: "pro", rps: "31" }, /above the pro plan's Light limit of 30/],
    [{ tier: "custom" }, /needs `--rps/],
    [{ tier: "gold" }, /Expected `--tier` to be one of/],
    [{ rps: "abc" }, /Expected `--rps` to be a number > 0, got `abc`/],
    [{ concurrency: "0" }, /Expected `--concurrency` to be an integer >= 1, got `0`/],
    [{ maxAttempts: "1.5" }, /`--max-attempts`/],
    [{ timeout: "-1" }, /`--timeout`/],
    [
      { action: "suspend" },
      /Expected `--action` to be one of signout, downgrade, license, deactivate, activate, delete, disassociate/,
    ],
    [{ apiUrl: "ftp://x" }, /`--api-url`/],
    [{ logLevel: "loud" }, /`--log-level`/],
    [{ simUsers: "x.csv" }, /only makes sense with `--simulate`/],
  ])("%j is a usage error", (flags, message) => {
    expect(() => resolveRunConfig("in.csv", flags, creds, terminal)).toThrow(message);
    expect(() => resolveRunConfig("in.csv", flags, creds, terminal)).toThrow(
      expect.objectContaining({ code: "USAGE" }),
    );
  });

  it.each([
    ["https://api.zoom.us/v2", true],
    ["https://zoom.example.com/v2", true],
    ["http://127.0.0.1:8080/v2", true],
    ["http://127.9.8.7/v2", true],
    ["http://127.1:9/v2", true],
    ["http://localhost:9/v2", true],
    ["http://LOCALHOST./v2", true],
    ["http://[::1]:9/v2", true],
    ["http://api.zoom.us/v2", false],
    ["http://10.0.0.5/v2", false],
    ["http://128.0.0.1/v2", false],
    ["http://localhost.evil.example/v2", false],
    ["http://127.0.0.1.evil.example/v2", false],
    ["http://[::2]/v2", false],
    ["ftp://127.0.0.1/v2", false],
  ])("--api-url / --oauth-url %s is allowed: %s", (url, allowed) => {
    for (const flags of [{ apiUrl: url }, { oauthUrl: url }]) {
      const attempt = () => resolveRunConfig("in.csv", flags, creds, terminal);
      if (allowed) expect(attempt).not.toThrow();
      else
        expect(attempt).toThrow(
          expect.objectContaining({ code: "USAGE", message: expect.stringMatching(/https:\/\//) }),
        );
    }
  });

  it("a plain http URL elsewhere than loopback says why, naming the variable it came from", () => {
    expect(() =>
      resolveRunConfig("in.csv", {}, { ...creds, ZOOM_OAUTH_URL: "http://zoom.us/oauth/token" }, terminal),
    ).toThrow(/`ZOOM_OAUTH_URL` to use https:\/\/.*client secret and tokens unencrypted/);
    expect(() => resolveRunConfig("in.csv", { apiUrl: "http://api.zoom.us/v2" }, creds, terminal)).toThrow(
      /`--api-url` to use https:\/\//,
    );
  });

  it("needs credentials for a real run, but not for a dry run or a simulation", () => {
    expect(() => resolveRunConfig("in.csv", {}, {}, terminal)).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
    expect(resolveRunConfig("in.csv", { dryRun: true }, {}).credentials).toBeUndefined();
    expect(resolveRunConfig("in.csv", { simulate: true, yes: true }, {}).credentials).toBeUndefined();
  });

  it("names the missing variable and never the secret for incomplete credentials", () => {
    const attempt = () =>
      resolveRunConfig(
        "in.csv",
        { yes: true },
        { ZOOM_CLIENT_ID: "cid", ZOOM_CLIENT_SECRET: "s3cret-value" },
      );
    expect(attempt).toThrow(/ZOOM_ACCOUNT_ID not set/);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain("s3cret-value");
    }
  });

  it("refuses a real run without a terminal unless --yes states the intent", () => {
    expect(() => resolveRunConfig("in.csv", {}, creds, { interactive: false })).toThrow(/needs --yes/);
    expect(resolveRunConfig("in.csv", { yes: true }, creds, { interactive: false }).yes).toBe(true);
    expect(resolveRunConfig("in.csv", { dryRun: true }, creds, { interactive: false }).dryRun).toBe(true);
  });

  it.each([
    [{}, { lookup: "auto", maxDeactivations: { kind: "count", max: 100 }, protectPath: undefined }],
    [
      { lookup: "Directory", maxDeactivations: "5%", protect: "keep.txt" },
      { lookup: "directory", maxDeactivations: { kind: "percent", percent: 5 }, protectPath: "keep.txt" },
    ],
    [{ maxDeactivations: "0" }, { maxDeactivations: { kind: "count", max: 0 } }],
  ])("safety flags %j", (flags, expected) => {
    expect(resolveRunConfig("in.csv", flags, creds, terminal)).toMatchObject(expected);
  });

  it.each([
    [{ maxDeactivations: "abc" }, /`--max-deactivations`.*got `abc`/],
    [{ maxDeactivations: "150%" }, /`--max-deactivations`.*got `150%`/],
    [{ maxDeactivations: "-3" }, /`--max-deactivations`/],
    [{ lookup: "psychic" }, /`--lookup` to be one of auto, per-user, directory, none/],
  ])("%j is a usage error", (flags, message) => {
    expect(() => resolveRunConfig("in.csv", flags, creds, terminal)).toThrow(message);
  });

  it.each([
    [{}, {}, 1, undefined],
    [{ share: "0.6" }, {}, 0.6, undefined],
    [{ share: "25%" }, {}, 0.25, undefined],
    [{ share: "1" }, {}, 1, undefined],
    [{ redis: "redis://127.0.0.1:6379" }, {}, 1, "redis://127.0.0.1:6379"],
    [{}, { ZOOM_OFFBOARD_REDIS_URL: "rediss://:pw@cache:6380/1" }, 1, "rediss://:pw@cache:6380/1"],
    [{ redis: "redis://a:1" }, { ZOOM_OFFBOARD_REDIS_URL: "redis://b:2" }, 1, "redis://a:1"],
    [{}, { ZOOM_OFFBOARD_REDIS_URL: " " }, 1, undefined],
  ])("--share/--redis %j with env %j: share %d, redis %s", (flags, env, share, redisUrl) => {
    const config = resolveRunConfig("in.csv", flags, { ...creds, ...env }, terminal);
    expect(config.share).toBe(share);
    expect(config.redisUrl).toBe(redisUrl);
  });

  it.each([
    [{ share: "0" }, "Expected `--share` to be a fraction > 0 and <= 1, got `0`"],
    [{ share: "1.5" }, "Expected `--share` to be a fraction > 0 and <= 1, got `1.5`"],
    [{ share: "-0.2" }, "Expected `--share` to be a fraction > 0 and <= 1, got `-0.2`"],
    [{ share: "half" }, "Expected `--share` to be a fraction > 0 and <= 1, got `half`"],
    [{ share: "%" }, "Expected `--share` to be a fraction > 0 and <= 1, got `%`"],
    [{ redis: "http://127.0.0.1:6379" }, "Expected `--redis` to be a redis:// or rediss:// URL"],
    [{ redis: "127.0.0.1:6379" }, "Expected `--redis` to be a redis:// or rediss:// URL"],
  ])("%j is a usage error", (flags, message) => {
    expect(() => resolveRunConfig("in.csv", flags, creds, terminal)).toThrow(message);
  });

  it("never repeats a Redis password in its error", () => {
    expect(() => resolveRunConfig("in.csv", { redis: "http://:hunter2@x" }, creds, terminal)).toThrow(
      expect.objectContaining({ code: "USAGE", message: expect.not.stringContaining("hunter2") }),
    );
  });
});
