/**
 * The two parts of undici a run uses — its connection pool (`Agent`) and its request API — loaded without the
 * package's index, which also builds fetch, WebSocket, the HTTP cache, the mocks and every other dispatcher at
 * load time: ~0.1 s of start-up on a 2-core VM, a fifth of the launch-to-first-request budget (issue 5). undici has
 * no `exports` map, so these files are part of what it publishes; the version is pinned exactly, and
 * test/zoom/http.test.ts checks that they are the very class and function the index exports.
 */
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import type * as Undici from "undici";
import type { Dispatcher } from "undici";

const require = createRequire(import.meta.url);

// undici parses HTTP with llhttp compiled to WebAssembly, on its first connection. V8 compiles that module twice:
// at once with its baseline compiler, and again with its optimizing one on a background thread — ~0.2 s of CPU
// and ~35 MB of RSS per run on a 2-core VM, for a parser that reads a few hundred bytes per answer. Baseline only
// (set before the module is compiled; the flag concerns WebAssembly alone).
setFlagsFromString("--liftoff-only");

export const Agent = require("undici/lib/dispatcher/agent.js") as typeof Undici.Agent;

/** `Dispatcher.prototype.request` as the index installs it: called with the dispatcher as `this`. */
const dispatcherRequest = require("undici/lib/api/api-request.js") as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

export type RequestOptions = Omit<Dispatcher.RequestOptions, "origin" | "path"> & {
  dispatcher: Dispatcher;
  /** Called when the request is written to its connection (after any wait for a socket or a handshake). */
  onWire?: (() => void) | undefined;
};

/** undici's `request(url, options)`: the same call on an explicit dispatcher (never the global one). */
export function request(url: string, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, onWire, ...rest } = options;
  const parsed = new URL(url);
  // The request API hands its handler to `this.dispatch`: a stand-in dispatcher adds the hook to that handler.
  const target =
    onWire === undefined
      ? dispatcher
      : {
          dispatch: (opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean =>
            dispatcher.dispatch(opts, new WireHook(handler, onWire)),
        };
  return dispatcherRequest.call(target as Dispatcher, {
    ...rest,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
  });
}

type Legacy = Required<
  Pick<
    Dispatcher.DispatchHandler,
    | "onConnect"
    | "onError"
    | "onUpgrade"
    | "onResponseStarted"
    | "onHeaders"
    | "onData"
    | "onComplete"
    | "onBodySent"
  >
>;

/**
 * The request API's handler, forwarded whole, with `onWire` called from `onConnect`: undici calls that when it
 * hands the request to a connection, right before it writes the request line and headers (client-h1 `writeH1`).
 * A plain forwarder, not a subclass or a prototype trick: the handler keeps its own state on itself, where its
 * abort listener looks for it.
 */
class WireHook implements Legacy {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #onWire: () => void;

  constructor(inner: Dispatcher.DispatchHandler, onWire: () => void) {
    this.#inner = inner;
    this.#onWire = onWire;
  }

  onConnect(abort: (error?: Error) => void, context?: unknown): void {
    this.#onWire();
    // undici passes a context too (typed without it); the request API keeps it for its answer.
    (this.#inner as { onConnect?: (abort: (error?: Error) => void, context?: unknown) => void }).onConnect?.(
      abort,
      context,
    );
  }
  onError(error: Error): void {
    if (this.#inner.onError === undefined) throw error;
    this.#inner.onError(error);
  }
  onUpgrade(...args: Parameters<Legacy["onUpgrade"]>): void {
    this.#inner.onUpgrade?.(...args);
  }
  onResponseStarted(): void {
    this.#inner.onResponseStarted?.();
  }
  onHeaders(...args: Parameters<Legacy["onHeaders"]>): boolean {
    return this.#inner.onHeaders?.(...args) ?? true;
  }
  onData(chunk: Buffer): boolean {
    return this.#inner.onData?.(chunk) ?? true;
  }
  onComplete(...args: Parameters<Legacy["onComplete"]>): void {
    this.#inner.onComplete?.(...args);
  }
  onBodySent(...args: Parameters<Legacy["onBodySent"]>): void {
    this.#inner.onBodySent?.(...args);
  }
}
