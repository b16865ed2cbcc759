import { createRequire } from "node:module";
import { Writable } from "node:stream";
import type { ReportRow } from "../domain/report-row.js";

export interface Progress {
  start(total: number): void;
  row(row: ReportRow): void;
  stop(): void;
  /** Where log lines go: they clear the bar's line first, and the bar is drawn again below them. */
  readonly logStream: NodeJS.WritableStream;
}

/**
 * A progress bar on stderr with rows done, the current rate of status changes and an ETA — only for a person
 * at a terminal. Cron and CI get nothing here (their stderr is a file, and bars would fill it with noise).
 */
export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled) return { start() {}, row() {}, stop() {}, logStream: stream };
  // Loaded only for a terminal: cron runs do not pay for it at start-up.
  const cliProgress = createRequire(import.meta.url)("cli-progress") as typeof import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: " {bar} {value}/{total} rows | {rate} changes/s | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 200,
      fps: 5,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  // Rate over a sliding 5 s so the figure follows pauses (429s) instead of averaging them away.
  const recent: number[] = [];
  let done = 0;
  let drawn = false;
  return {
    logStream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (drawn) {
          // Erase the bar's line, print the log line, draw the bar again underneath.
          stream.write(`\r\u001b[2K${chunk.toString("utf8")}`);
          bar.render();
        } else stream.write(chunk);
        done();
      },
    }),
    start(total) {
      bar.start(total, 0, { rate: "0.0" });
      drawn = true;
    },
    row(row) {
      done += 1;
      const now = Date.now();
      if (row.attempts > 0) recent.push(now);
      while (recent.length > 0 && (recent[0] ?? now) < now - 5000) recent.shift();
      bar.update(done, { rate: (recent.length / 5).toFixed(1) });
    },
    stop() {
      if (drawn) bar.stop();
      drawn = false;
    },
  };
}
