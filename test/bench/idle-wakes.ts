/**
 * Reference for the overhead figures: what one event-loop wake-up costs a Node process on this machine when it does
 * nothing else — a timer every `intervalMs`, `wakes` times. Run as its own process by the benchmark; prints
 * {"cpuMs", "wakes"} for the loop only. Every request the tool sends takes at least two such wake-ups (its slot's
 * timer and its answer), so this row shows how much of the CPU per row the machine takes before any work is done.
 * Arguments: wakes intervalMs.
 */
import { setTimeout as sleep } from "node:timers/promises";

const [wakesText = "0", intervalText = "0"] = process.argv.slice(2);
const wakes = Number(wakesText);
const intervalMs = Number(intervalText);
const before = process.cpuUsage();
const started = performance.now();
for (let n = 1; n <= wakes; n++) {
  const wait = started + n * intervalMs - performance.now();
  if (wait > 0) await sleep(wait);
}
const used = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wakes })}\n`);
