/**
 * One HTTP request and its whole answer, on the dispatcher it is given (never undici's global one), through
 * `dispatcher.dispatch` with a small handler of our own: undici 7's handler API tells us when the request goes
 * onto its connection, which the request API does not. That low-level API may change in a major version of
 * undici, which is pinned. https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler
 */
import type { Dispatcher } from "undici";
import type { RawHeaders } from "./answer.js";

export interface ExchangeOptions {
  method: Dispatcher.HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** One deadline for everything: waiting for a socket, connecting, the headers and the whole body. */
  timeoutMs: number;
  /** Called once, when the request is handed to its connection, right before it is written there. */
  onWritten?: (() => void) | undefined;
}

/** The answer, with its body read to the end (so the keep-alive socket goes back to the pool). */
export interface ExchangeResult {
  status: number;
  headers: RawHeaders;
  text: string;
}

/** The deadline passed. Named like `AbortSignal.timeout`'s error, with a code like undici's own errors. */
export class DeadlineError extends Error {
  readonly code = "TIMEOUT";
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * Send the request and read its answer. Rejects for anything that is not a complete answer: a refused or reset
 * connection, a body cut off halfway, the deadline ({@link DeadlineError}).
 */
export function exchange(dispatcher: Dispatcher, options: ExchangeOptions): Promise<ExchangeResult> {
  const url = new URL(options.url);
  return new Promise<ExchangeResult>((resolve, reject) => {
    const handler = new CollectingHandler(
      options.onWritten,
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
    const timer = setTimeout(() => handler.fail(new DeadlineError(options.timeoutMs)), options.timeoutMs);
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: options.method,
          headers: options.headers,
          body: options.body ?? null,
        },
        handler,
      );
    } catch (error) {
      handler.fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * Collects one answer. undici calls `onRequestStart` when the request reaches a connection, right before writing
 * it (a request still waiting for a socket has not been sent), then `onResponseStart` (again for each 1xx),
 * `onResponseData` for each chunk, and `onResponseEnd`; or `onResponseError` at any point.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #written = false;
  #settled = false;
  #failure: Error | undefined;
  #status = 0;
  #headers: RawHeaders = {};
  #chunks: Buffer[] = [];

  constructor(
    private readonly onWritten: (() => void) | undefined,
    private readonly resolve: (result: ExchangeResult) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Settle with `error` now and abort the request, whether it is on a connection yet or still queued. */
  fail(error: Error): void {
    this.#failure ??= error;
    this.#controller?.abort(error);
    this.#settle(() => this.reject(error));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // Too late already (the deadline passed while it waited for a socket): it is never written.
    if (this.#failure !== undefined) {
      controller.abort(this.#failure);
      return;
    }
    // undici may start a request again on another connection; the pacer counts its first write.
    if (this.#written) return;
    this.#written = true;
    this.onWritten?.();
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: RawHeaders): void {
    this.#status = statusCode;
    this.#headers = headers;
    this.#chunks = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const result = {
      status: this.#status,
      headers: this.#headers,
      text: Buffer.concat(this.#chunks).toString("utf8"),
    };
    this.#settle(() => this.resolve(result));
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#settle(() => this.reject(this.#failure ?? error));
  }

  #settle(settle: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    settle();
  }
}
