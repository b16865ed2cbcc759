import type { Logger } from "./logger.js";

/** First SIGINT/SIGTERM: stop sending and drain. Second: `quit` (flush, unlock), then leave at once. */
export function onSignals(logger: Logger, stop: (signal: string) => void, quit: () => void): () => void {
  let signals = 0;
  const handler = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      logger.warn(
        { signal },
        "stopping: letting requests in flight finish; press Ctrl-C again to quit at once",
      );
      stop(signal);
    } else {
      try {
        quit();
      } finally {
        process.exit(3);
      }
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
