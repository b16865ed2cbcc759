import { Agent, type Dispatcher, request } from "undici";
import type { SimUser, Simulator } from "../../src/sim/server.js";

/** One keep-alive pool for a test file, like the tool uses; close it in afterAll. */
export const agent = new Agent({ keepAliveTimeout: 10_000 });

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when the body is empty. */
  json: unknown;
  text: string;
}

export async function call(
  url: string,
  options: { method?: Dispatcher.HttpMethod; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await request(url, {
    dispatcher: agent,
    method: options.method ?? "GET",
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text === "" ? undefined : JSON.parse(text),
    text,
  };
}

export const SIM_CREDENTIALS = {
  accountId: "sim-account",
  clientId: "sim-client",
  clientSecret: "sim-secret",
};

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

export function requestToken(
  sim: Pick<Simulator, "oauthUrl">,
  credentials = SIM_CREDENTIALS,
  grantType = "account_credentials",
): Promise<Answer> {
  return call(sim.oauthUrl, {
    method: "POST",
    headers: {
      authorization: basicAuth(credentials.clientId, credentials.clientSecret),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: grantType, account_id: credentials.accountId }).toString(),
  });
}

export async function getToken(sim: Pick<Simulator, "oauthUrl">): Promise<string> {
  const answer = await requestToken(sim);
  const token = (answer.json as { access_token?: unknown } | undefined)?.access_token;
  if (answer.status !== 200 || typeof token !== "string")
    throw new Error(`token request failed: ${answer.text}`);
  return token;
}

export function putStatus(
  sim: Pick<Simulator, "apiUrl">,
  token: string,
  user: string,
  action: string,
): Promise<Answer> {
  return call(`${sim.apiUrl}/users/${encodeURIComponent(user)}/status`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ action }),
  });
}

export function getUser(sim: Pick<Simulator, "apiUrl">, token: string, user: string): Promise<Answer> {
  return call(`${sim.apiUrl}/users/${encodeURIComponent(user)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

/** A settable clock for the simulator's rate windows and expiries. */
export function fakeClock(startMs = Date.UTC(2026, 10, 30, 12, 0, 0)) {
  let nowMs = startMs;
  return {
    now: (): number => nowMs,
    advance: (ms: number): void => {
      nowMs += ms;
    },
  };
}

/** `count` active members with ids u0… and emails m0@example.com… */
export const members = (count: number): SimUser[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `u${i}`,
    email: `m${i}@example.com`,
    status: "active",
    role: "member",
  }));

/** DELETE /users/{user}/token. */
export function signOut(sim: Pick<Simulator, "apiUrl">, token: string, user: string): Promise<Answer> {
  return call(`${sim.apiUrl}/users/${encodeURIComponent(user)}/token`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
}

/** PATCH /users/{user} with a JSON body. */
export function updateUser(
  sim: Pick<Simulator, "apiUrl">,
  token: string,
  user: string,
  body: unknown,
): Promise<Answer> {
  return call(`${sim.apiUrl}/users/${encodeURIComponent(user)}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** DELETE /users/{user}?query (the query as given, so tests can send names Zoom does not know). */
export function deleteUser(
  sim: Pick<Simulator, "apiUrl">,
  token: string,
  user: string,
  query: Record<string, string | undefined> = {},
): Promise<Answer> {
  const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const search = new URLSearchParams(defined).toString();
  return call(`${sim.apiUrl}/users/${encodeURIComponent(user)}${search === "" ? "" : `?${search}`}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
}
