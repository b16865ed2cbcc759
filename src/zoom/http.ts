/**
 * The two parts of undici a run uses — its connection pool (`Agent`) and its request API — loaded without the
 * package's index, which also builds fetch, WebSocket, the HTTP cache, the mocks and every other dispatcher at
 * load time: ~0.1 s of start-up on a 2-core VM, a fifth of the launch-to-first-request budget (issue 5). undici has
 * no `exports` map, so these files are part of what it publishes; the version is pinned exactly, and
 * test/zoom/http.test.ts checks that they are the very class and function the index exports.
 */
import { createRequire } from "node:module";
import type * as Undici from "undici";
import type { Dispatcher } from "undici";

const require = createRequire(import.meta.url);

export const Agent = require("undici/lib/dispatcher/agent.js") as typeof Undici.Agent;

/** `Dispatcher.prototype.request` as the index installs it: called with the dispatcher as `this`. */
const dispatcherRequest = require("undici/lib/api/api-request.js") as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

export type RequestOptions = Omit<Dispatcher.RequestOptions, "origin" | "path"> & { dispatcher: Dispatcher };

/** undici's `request(url, options)`: the same call on an explicit dispatcher (never the global one). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = new URL(url);
  return dispatcherRequest.call(dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
  });
}
