import { describe, expect, it } from "vitest";
import { httpAnswer, isRecord, networkAnswer } from "../../src/zoom/answer.js";

const ERROR_BODY = JSON.stringify({ code: 3412, message: "Your request was not approved." });

describe("httpAnswer", () => {
  it.each([
    { status: 100, read: true },
    { status: 199, read: true },
    { status: 200, read: false },
    { status: 204, read: false },
    { status: 299, read: false },
    { status: 300, read: true },
    { status: 400, read: true },
    { status: 503, read: true },
  ])("HTTP $status: Zoom's code and message read from the body: $read", ({ status, read }) => {
    const answer = httpAnswer(status, {}, ERROR_BODY);
    expect(answer.zoomCode).toBe(read ? 3412 : undefined);
    expect(answer.message).toBe(read ? "Your request was not approved." : undefined);
    expect(answer.body).toEqual({ code: 3412, message: "Your request was not approved." });
  });

  it.each([
    { code: 124, expected: 124 },
    { code: "124", expected: 124 },
    { code: " 124 ", expected: 124 },
    { code: "124a", expected: undefined },
    { code: "a124", expected: undefined },
    { code: "", expected: undefined },
    { code: null, expected: undefined },
    { code: true, expected: undefined },
  ])("Zoom code $code → $expected", ({ code, expected }) => {
    expect(httpAnswer(400, {}, JSON.stringify({ code })).zoomCode).toBe(expected);
  });

  it.each([
    { message: "  Not approved.\n Try later. ", expected: "Not approved. Try later." },
    { message: " \n ", expected: undefined },
    { message: 42, expected: undefined },
  ])("message $message → $expected", ({ message, expected }) => {
    expect(httpAnswer(400, {}, JSON.stringify({ code: 1, message })).message).toBe(expected);
  });

  it.each([
    { name: "JSON null", text: "null" },
    { name: "a JSON array", text: '[{"code":124,"message":"x"}]' },
    { name: "a JSON string", text: '"code 124"' },
    { name: "a JSON number", text: "124" },
  ])("an error body that is $name carries no code or message", ({ text }) => {
    const answer = httpAnswer(400, {}, text);
    expect(answer.zoomCode).toBeUndefined();
    expect(answer.message).toBeUndefined();
    expect(answer.body).toEqual(JSON.parse(text));
  });

  it.each([
    { name: "empty", text: "", body: undefined },
    { name: "only whitespace", text: " \r\n\t", body: undefined },
    { name: "JSON with spaces around", text: ' {"id":"x"} ', body: { id: "x" } },
    { name: "plain text", text: "Bad Gateway", body: "Bad Gateway" },
    { name: "text of the longest kept length", text: "x".repeat(2000), body: "x".repeat(2000) },
    { name: "longer text, cut", text: `${"x".repeat(2000)}yz`, body: `${"x".repeat(2000)}…` },
  ])("body: $name", ({ text, body }) => {
    expect(httpAnswer(502, {}, text).body).toEqual(body);
  });

  it("reads the rate-limit, Retry-After and tracking headers in any case, trimmed, first value of a list", () => {
    const answer = httpAnswer(
      429,
      {
        "X-RateLimit-Type": " QPS ",
        "x-ratelimit-category": ["Light", "Medium"],
        "X-RateLimit-Remaining": "17",
        "Retry-After": " 2 ",
        "x-zm-trackingid": "v=2.0;clid=us06;rid=WEB_1",
        "x-unrelated": undefined,
      },
      "",
    );
    expect(answer).toMatchObject({
      rateLimitType: "QPS",
      rateLimitCategory: "Light",
      rateLimitRemaining: 17,
      retryAfter: "2",
      trackingId: "v=2.0;clid=us06;rid=WEB_1",
    });
  });

  it("leaves every header field undefined when the headers are missing or empty", () => {
    const answer = httpAnswer(429, { "x-ratelimit-type": "", "retry-after": "  " }, "");
    expect(answer).toMatchObject({
      rateLimitType: undefined,
      rateLimitCategory: undefined,
      rateLimitRemaining: undefined,
      retryAfter: undefined,
      trackingId: undefined,
    });
  });

  it.each([
    { value: "0", expected: 0 },
    { value: "7", expected: 7 },
    { value: "120", expected: 120 },
    { value: " 12 ", expected: 12 },
    { value: "-1", expected: undefined },
    { value: "1.5", expected: undefined },
    { value: "12a", expected: undefined },
    { value: "a12", expected: undefined },
    { value: "many", expected: undefined },
  ])("X-RateLimit-Remaining $value → $expected", ({ value, expected }) => {
    expect(httpAnswer(200, { "x-ratelimit-remaining": value }, "").rateLimitRemaining).toBe(expected);
  });
});

describe("networkAnswer", () => {
  const withCode = (message: string, code: unknown, cause?: Error): Error =>
    Object.assign(new Error(message, cause === undefined ? {} : { cause }), { code });
  const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

  it.each([
    {
      name: "a coded error",
      error: withCode("connect ECONNREFUSED 127.0.0.1:9", "ECONNREFUSED"),
      expected: { errorCode: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:9" },
    },
    {
      name: "undici's fetch failure with the coded cause",
      error: new TypeError("fetch failed", { cause: withCode("other side closed", "UND_ERR_SOCKET") }),
      expected: { errorCode: "UND_ERR_SOCKET", message: "fetch failed (other side closed)" },
    },
    {
      name: "a code of its own wins over the cause's",
      error: withCode("request failed", "UND_ERR_HEADERS_TIMEOUT", withCode("reset", "ECONNRESET")),
      expected: { errorCode: "UND_ERR_HEADERS_TIMEOUT", message: "request failed (reset)" },
    },
    {
      name: "a cause with the same message is not repeated",
      error: new Error("socket hang up", { cause: withCode("socket hang up", "ECONNRESET") }),
      expected: { errorCode: "ECONNRESET", message: "socket hang up" },
    },
    {
      name: "AbortSignal.timeout's TimeoutError",
      error: named("TimeoutError", "The operation was aborted due to timeout"),
      expected: { errorCode: "TIMEOUT", message: "The operation was aborted due to timeout" },
    },
    {
      name: "an AbortError",
      error: named("AbortError", "This operation was aborted"),
      expected: { errorCode: "TIMEOUT", message: "This operation was aborted" },
    },
    {
      name: "an empty code",
      error: withCode("odd", ""),
      expected: { errorCode: "UNKNOWN", message: "odd" },
    },
    {
      name: "a numeric code",
      error: withCode("odd", 104),
      expected: { errorCode: "UNKNOWN", message: "odd" },
    },
    {
      name: "a multi-line message",
      error: withCode("first line\n  second line ", "EPIPE"),
      expected: { errorCode: "EPIPE", message: "first line second line" },
    },
    {
      name: "no message, but a code",
      error: withCode("", "ECONNRESET"),
      expected: { errorCode: "ECONNRESET", message: "ECONNRESET" },
    },
    {
      name: "no message and no code",
      error: new Error(""),
      expected: { errorCode: "UNKNOWN", message: "network error" },
    },
    {
      name: "something thrown that is not an Error",
      error: "boom",
      expected: { errorCode: "UNKNOWN", message: "boom" },
    },
  ])("$name", ({ error, expected }) => {
    expect(networkAnswer(error)).toEqual({ kind: "network", ...expected });
  });
});

describe("isRecord", () => {
  it.each([
    { value: {}, expected: true },
    { value: { code: 1 }, expected: true },
    { value: null, expected: false },
    { value: undefined, expected: false },
    { value: [], expected: false },
    { value: [{ code: 1 }], expected: false },
    { value: "text", expected: false },
    { value: 124, expected: false },
  ])("$value → $expected", ({ value, expected }) => {
    expect(isRecord(value)).toBe(expected);
  });
});
