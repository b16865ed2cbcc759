/**
 * Server-to-Server OAuth for one run: one cached token,
 * refreshed shortly before it expires, with every concurrent caller sharing a single request to the endpoint.
 * Zoom issues no refresh token; a new token is simply requested with the account credentials again.
 */
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { OffboardError } from "../domain/errors.js";
import { oneLine } from "../domain/report-row.js";
import { isRecord, networkAnswer } from "./answer.js";
import { exchange } from "./http.js";
import { parseRetryAfter } from "./retry-after.js";
import { DEFAULT_USER_AGENT } from "./user-agent.js";

export interface TokenManager {
  /** A valid access token; fetched (once, however many callers wait) when none is cached or it is about to expire. */
  getToken(): Promise<string>;
  /** Zoom answered code 124 to a request made with `token`: forget it, unless a newer one has replaced it already. */
  invalidate(token: string): void;
  /** Tokens obtained after the first one (proactive refreshes and refreshes after code 124). */
  readonly refreshCount: number;
  /** The scopes the last token's answer granted (its `scope`); undefined before a token or when Zoom said none. */
  readonly grantedScopes?: readonly string[] | undefined;
}

export interface TokenManagerOptions {
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  dispatcher: Dispatcher;
  /** Per token request. */
  timeoutMs: number;
  /** Injected clock (ms since the epoch). */
  now?: () => number;
  /** Injected wait between token attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** Keep retrying 5xx / 429 / network errors of the token endpoint this long, then AUTH_UNAVAILABLE. */
  unavailableBudgetMs?: number;
  random?: () => number;
  logger?: Logger;
  /** A token after the first one came (a refresh): the run's timeline marks it. */
  onRefresh?: () => void;
}

/** Backoff between token attempts: exponential with full jitter, like undici's RetryHandler. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** Refresh when less than min(60 s, 10 % of the lifetime) is left, so short-lived tokens work too. */
const REFRESH_MARGIN_MAX_MS = 60_000;
const REFRESH_MARGIN_SHARE = 0.1;

type Attempt =
  | { kind: "token"; token: string; expiresInMs: number; scopes: string[] | undefined }
  | { kind: "transient"; detail: string; retryAfterMs: number | undefined };

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { oauthUrl, accountId, clientId, clientSecret, dispatcher, timeoutMs, logger } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const budgetMs = options.unavailableBudgetMs ?? 60_000;

  const credentials = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
  // Zoom wants these in a form body: in the query string they have been seen to fail.
  const form = new URLSearchParams({ grant_type: "account_credentials", account_id: accountId }).toString();
  const headers = {
    authorization: `Basic ${credentials}`,
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    "user-agent": DEFAULT_USER_AGENT,
  };

  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let obtained = 0;
  let grantedScopes: string[] | undefined;

  /** Whatever Zoom echoes back must not carry the credentials into a log or an error message. */
  const redact = (text: string): string => {
    let out = text;
    for (const secret of [clientSecret, credentials]) {
      if (secret.length > 0) out = out.split(secret).join("[redacted]");
    }
    return out;
  };

  async function attempt(): Promise<Attempt> {
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const response = await exchange(dispatcher, {
        method: "POST",
        url: oauthUrl,
        headers,
        body: form,
        timeoutMs,
      });
      status = response.status;
      const header = response.headers["retry-after"];
      retryAfter = Array.isArray(header) ? header[0] : header;
      text = response.text;
    } catch (error) {
      const answer = networkAnswer(error);
      return { kind: "transient", detail: `${answer.errorCode}: ${answer.message}`, retryAfterMs: undefined };
    }

    if (status >= 200 && status <= 299) return readToken(text, status);
    // Bad credentials: Zoom answers 400 {"reason":"Invalid client_id or client_secret","error":"invalid_client"}.
    if (status === 400 || status === 401) throw refused(status, text);
    // Zoom's side or its rate limit: worth waiting for, within the budget.
    if (status === 429 || status >= 500) {
      return {
        kind: "transient",
        detail: `HTTP ${status}`,
        retryAfterMs: parseRetryAfter(retryAfter, new Date(now())),
      };
    }
    // 3xx, 403, 404...: most likely a wrong ZOOM_OAUTH_URL; waiting will not fix it.
    throw new OffboardError(
      "AUTH_FAILED",
      `Zoom's token endpoint answered HTTP ${status}${reasonOf(text)}: check ZOOM_OAUTH_URL and the app's credentials`,
    );
  }

  function refused(status: number, text: string): OffboardError {
    const body = parseJson(text);
    const error = isRecord(body) && typeof body.error === "string" ? body.error : `HTTP ${status}`;
    return new OffboardError(
      "AUTH_FAILED",
      `Zoom refused the Server-to-Server OAuth credentials (${redact(oneLine(error))}${reasonOf(text)}): ` +
        "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET",
    );
  }

  /** ": <Zoom's reason>" when the body has one, redacted and on one line. */
  function reasonOf(text: string): string {
    const body = parseJson(text);
    const reason = isRecord(body) ? (body.reason ?? body.message) : undefined;
    if (typeof reason !== "string" || oneLine(reason) === "") return "";
    return `: ${redact(oneLine(reason)).slice(0, 300)}`;
  }

  function readToken(text: string, status: number): Attempt {
    const body = parseJson(text);
    const token = isRecord(body) ? body.access_token : undefined;
    const expiresIn = isRecord(body) ? body.expires_in : undefined;
    if (typeof token !== "string" || token === "" || typeof expiresIn !== "number" || !(expiresIn > 0)) {
      // Not retried: a 2xx that is not a token (a proxy's or portal's page) will not change in a minute.
      throw new OffboardError(
        "AUTH_UNAVAILABLE",
        `Zoom's token endpoint answered HTTP ${status} without a usable access_token and expires_in: check ZOOM_OAUTH_URL`,
      );
    }
    const scope = isRecord(body) && typeof body.scope === "string" ? body.scope : undefined;
    const scopes = scope?.split(/[\s,]+/).filter((name) => name !== "");
    return { kind: "token", token, expiresInMs: expiresIn * 1000, scopes };
  }

  async function fetchToken(): Promise<string> {
    const startedAt = now();
    for (let failures = 0; ; failures += 1) {
      const sentAt = now();
      const result = await attempt();
      if (result.kind === "token") {
        const marginMs = Math.min(REFRESH_MARGIN_MAX_MS, result.expiresInMs * REFRESH_MARGIN_SHARE);
        // Counted from when we asked, not when the answer came: the token's clock started at Zoom meanwhile.
        cached = { token: result.token, refreshAt: sentAt + result.expiresInMs - marginMs };
        obtained += 1;
        if (obtained > 1) options.onRefresh?.();
        grantedScopes = result.scopes;
        logger?.debug(
          { expiresInS: result.expiresInMs / 1000, refreshInS: (cached.refreshAt - now()) / 1000 },
          "obtained a Zoom access token",
        );
        return result.token;
      }
      const elapsedMs = now() - startedAt;
      const leftMs = budgetMs - elapsedMs;
      if (leftMs <= 0) {
        throw new OffboardError(
          "AUTH_UNAVAILABLE",
          `Zoom's token endpoint was unavailable for ${Math.round(elapsedMs / 1000)} s ` +
            `(${failures + 1} attempts, last: ${result.detail}): try again later`,
        );
      }
      const backoffMs = random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failures);
      const delayMs = Math.min(
        leftMs,
        Math.max(backoffMs, Math.min(result.retryAfterMs ?? 0, BACKOFF_CAP_MS)),
      );
      logger?.warn(
        { attempt: failures + 1, delayMs: Math.round(delayMs), answer: result.detail },
        "Zoom's token endpoint is unavailable; retrying",
      );
      await sleep(delayMs);
    }
  }

  return {
    getToken(): Promise<string> {
      if (cached !== undefined && now() < cached.refreshAt) return Promise.resolve(cached.token);
      // Single flight: everyone who asks while a request is out waits for that request.
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token: string): void {
      // Twenty rows failing with the same old token must cause one refresh, not twenty.
      if (cached?.token === token) cached = undefined;
    },
    get refreshCount(): number {
      return Math.max(0, obtained - 1);
    },
    get grantedScopes() {
      return grantedScopes;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
