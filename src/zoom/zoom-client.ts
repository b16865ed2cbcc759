/**
 * The Zoom API client: one request per call, and what happened as a `ZoomAnswer`. It neither retries nor paces
 * (the caller does, through its rate limiter) and never throws for anything Zoom or the network does; only the
 * token manager's run-level errors (AUTH_FAILED, AUTH_UNAVAILABLE) propagate.
 */
import type { Dispatcher } from "undici";
import { httpAnswer, networkAnswer, type ZoomAnswer } from "./answer.js";
import { exchange } from "./http.js";
import type { ZoomRequest } from "./operation.js";
import type { TokenManager } from "./token-manager.js";
import { DEFAULT_USER_AGENT } from "./user-agent.js";

export type { ZoomAnswer } from "./answer.js";

export interface SendOptions {
  /** Called once, when the request is written to its connection: the rate limiter counts it from then. */
  written?: (() => void) | undefined;
}

export interface ZoomClient {
  /** Send one request under the API URL with the run's token. */
  send(request: ZoomRequest, options?: SendOptions): Promise<ZoomAnswer>;
}

export interface ZoomClientOptions {
  apiUrl: string;
  dispatcher: Dispatcher;
  tokens: TokenManager;
  /** Whole request: waiting for a socket, connecting, headers and body. */
  timeoutMs: number;
  userAgent?: string;
}

export function createZoomClient(options: ZoomClientOptions): ZoomClient {
  const { dispatcher, tokens, timeoutMs } = options;
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  async function send(request: ZoomRequest, sendOptions: SendOptions = {}): Promise<ZoomAnswer> {
    // Run-level: if no token can be had, no request can be sent, so this one throws.
    const token = await tokens.getToken();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "user-agent": userAgent,
    };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const query = request.query === undefined ? "" : new URLSearchParams(request.query).toString();

    let answer: ZoomAnswer;
    try {
      const response = await exchange(dispatcher, {
        method: request.method,
        url: `${apiUrl}${request.path}${query === "" ? "" : `?${query}`}`,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        timeoutMs,
        onWritten: sendOptions.written,
      });
      answer = httpAnswer(response.status, response.headers, response.text);
    } catch (error) {
      // Resets, refusals, DNS, the deadline, a body cut off halfway: the caller decides whether to retry.
      answer = networkAnswer(error);
    }

    // Code 124 (expired or revoked token) comes with 401 or 400: drop that token before the caller repeats.
    if (answer.kind === "http" && answer.zoomCode === 124) tokens.invalidate(token);
    return answer;
  }

  return {
    send,
  };
}
