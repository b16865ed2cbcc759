/**
 * The Zoom API client: one request per call, and what happened as a `ZoomAnswer`. It neither retries nor paces
 * (the batch does, through its rate limiter) and never throws for anything Zoom or the network does; only the
 * token manager's run-level errors (AUTH_FAILED, AUTH_UNAVAILABLE) propagate.
 */
import type { Dispatcher } from "undici";
import type { Action } from "../domain/actions.js";
import { httpAnswer, networkAnswer, type ZoomAnswer } from "./answer.js";
import { request } from "./http.js";
import type { TokenManager } from "./token-manager.js";
import { DEFAULT_USER_AGENT } from "./user-agent.js";

export type { ZoomAnswer } from "./answer.js";

/** Each call's `onWire` is called when its request is written to a connection (for the rate limiter's window). */
export interface ZoomClient {
  /** PUT {apiUrl}/users/{user}/status with `{"action": ...}`. */
  setStatus(user: string, action: Action, onWire?: () => void): Promise<ZoomAnswer>;
  /** GET {apiUrl}/users/{user} (Light). */
  getUser(user: string, onWire?: () => void): Promise<ZoomAnswer>;
  /** GET {apiUrl}/users (Medium): one page of users in one status. */
  listUsers(
    query: {
      status: "active" | "inactive" | "pending";
      pageSize: number;
      nextPageToken?: string;
    },
    onWire?: () => void,
  ): Promise<ZoomAnswer>;
}

export interface ZoomClientOptions {
  apiUrl: string;
  dispatcher: Dispatcher;
  tokens: TokenManager;
  /** Whole request, headers and body. */
  timeoutMs: number;
  userAgent?: string;
}

export function createZoomClient(options: ZoomClientOptions): ZoomClient {
  const { dispatcher, tokens, timeoutMs } = options;
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  // The user value is data, never URL syntax: `a/b`, `../x`, `?` or `#` must stay inside the one path segment.
  const userPath = (user: string): string => `/users/${encodeURIComponent(user)}`;

  async function send(
    method: "GET" | "PUT",
    path: string,
    json: unknown,
    onWire: (() => void) | undefined,
  ): Promise<ZoomAnswer> {
    // Run-level: if no token can be had, no row can be sent, so this one throws.
    const token = await tokens.getToken();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "user-agent": userAgent,
    };
    if (json !== undefined) headers["content-type"] = "application/json";

    let answer: ZoomAnswer;
    try {
      const response = await request(`${apiUrl}${path}`, {
        dispatcher,
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        // One deadline for connecting, headers and body alike; expiry rejects with a TimeoutError.
        signal: AbortSignal.timeout(timeoutMs),
        onWire,
      });
      // Always read the body, even a 204's, so the keep-alive socket goes back to the pool.
      const text = await response.body.text();
      answer = httpAnswer(response.statusCode, response.headers, text);
    } catch (error) {
      // Resets, refusals, DNS, timeouts, a body cut off halfway: the batch decides whether to retry.
      answer = networkAnswer(error);
    }

    // Code 124 (expired or revoked token) comes with 401 or 400: drop that token before the caller repeats.
    if (answer.kind === "http" && answer.zoomCode === 124) tokens.invalidate(token);
    return answer;
  }

  return {
    setStatus: (user, action, onWire) => send("PUT", `${userPath(user)}/status`, { action }, onWire),
    getUser: (user, onWire) => send("GET", userPath(user), undefined, onWire),
    listUsers: ({ status, pageSize, nextPageToken }, onWire) => {
      const query = new URLSearchParams({ status, page_size: String(pageSize) });
      if (nextPageToken !== undefined && nextPageToken !== "") query.set("next_page_token", nextPageToken);
      return send("GET", `/users?${query.toString()}`, undefined, onWire);
    },
  };
}
