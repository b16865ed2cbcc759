import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import { Agent, type Dispatcher, request } from "undici";
import type { Simulator } from "../../src/sim/server.js";
import { TEST_CREDENTIALS } from "../helpers/sim-env.js";

/** What a baseline script did; the simulator's stats say the rest. */
export interface BaselineRun {
  rowsAttempted: number;
  rowsFailed: number;
  wallMs: number;
  /** True when the run was cut short by its cap (the sequential loop is far too slow to run to the end). */
  capped: boolean;
}

/** What a script does on a 429: sleep a second and try again, a few times (our own default is 5 attempts). */
const RETRY_AFTER_429_MS = 1000;
const MAX_ATTEMPTS = 5;

async function fetchToken(sim: Simulator, dispatcher: Dispatcher): Promise<string> {
  const basic = Buffer.from(`${TEST_CREDENTIALS.clientId}:${TEST_CREDENTIALS.clientSecret}`).toString(
    "base64",
  );
  const answer = await request(sim.oauthUrl, {
    method: "POST",
    dispatcher,
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: `grant_type=account_credentials&account_id=${TEST_CREDENTIALS.accountId}`,
  });
  const body = (await answer.body.json()) as { access_token?: string };
  if (answer.statusCode !== 200 || typeof body.access_token !== "string") {
    throw new Error(`baseline: token request answered ${answer.statusCode}`);
  }
  return body.access_token;
}

/** One row as a script does it: PUT, and on 429 sleep 1 s and repeat; true when Zoom accepted it. */
async function putWithScriptRetry(
  sim: Simulator,
  dispatcher: Dispatcher,
  token: string,
  email: string,
): Promise<boolean> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const answer = await request(`${sim.apiUrl}/users/${encodeURIComponent(email)}/status`, {
      method: "PUT",
      dispatcher,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"action":"deactivate"}',
    });
    await answer.body.dump();
    if (answer.statusCode >= 200 && answer.statusCode < 300) return true;
    if (answer.statusCode !== 429) return false;
    if (attempt < MAX_ATTEMPTS) await sleep(RETRY_AFTER_429_MS);
  }
  return false;
}

/**
 * (a) The shell-script way: a loop of `curl -X PUT`, one request at a time, on one keep-alive connection (kinder
 * to it than curl, which reconnects per call). It stops at `capMs` or `capRows`, whichever comes first.
 */
export async function sequentialLoop(
  sim: Simulator,
  emails: readonly string[],
  cap: { ms: number; rows: number },
): Promise<BaselineRun> {
  const dispatcher = new Agent({ connections: 1 });
  try {
    const token = await fetchToken(sim, dispatcher);
    const started = performance.now();
    let rowsAttempted = 0;
    let rowsFailed = 0;
    for (const email of emails) {
      if (rowsAttempted >= cap.rows || performance.now() - started >= cap.ms) break;
      rowsAttempted++;
      if (!(await putWithScriptRetry(sim, dispatcher, token, email))) rowsFailed++;
    }
    return {
      rowsAttempted,
      rowsFailed,
      wallMs: performance.now() - started,
      capped: rowsAttempted < emails.length,
    };
  } finally {
    await dispatcher.close();
  }
}

/** (b) The quick-script way: p-limit(32) over every row, no rate limiter, a fixed 1 s sleep after a 429. */
export async function unpacedConcurrency(
  sim: Simulator,
  emails: readonly string[],
  concurrency = 32,
): Promise<BaselineRun> {
  const dispatcher = new Agent({ connections: concurrency });
  try {
    const token = await fetchToken(sim, dispatcher);
    const limit = pLimit(concurrency);
    const started = performance.now();
    const results = await Promise.all(
      emails.map((email) => limit(() => putWithScriptRetry(sim, dispatcher, token, email))),
    );
    return {
      rowsAttempted: emails.length,
      rowsFailed: results.filter((ok) => !ok).length,
      wallMs: performance.now() - started,
      capped: false,
    };
  } finally {
    await dispatcher.close();
  }
}
