/**
 * Reference for the overhead figures: the least a Node process can do to send the same requests — undici, one
 * token, PUTs started at the tool's spacing, nothing else. Run as its own process by the benchmark; prints
 * {"cpuMs", "requests"} for the sending loop only (start-up excluded), so a reader can tell our cost from the
 * machine's. Arguments: apiUrl oauthUrl rows intervalMs.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";
import { TEST_CREDENTIALS } from "../helpers/sim-env.js";

const [apiUrl = "", oauthUrl = "", rowsText = "0", intervalText = "0"] = process.argv.slice(2);
const rows = Number(rowsText);
const intervalMs = Number(intervalText);
const dispatcher = new Agent({ connections: 100 });
const basic = Buffer.from(`${TEST_CREDENTIALS.clientId}:${TEST_CREDENTIALS.clientSecret}`).toString("base64");
const tokenAnswer = await request(oauthUrl, {
  method: "POST",
  dispatcher,
  headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
  body: `grant_type=account_credentials&account_id=${TEST_CREDENTIALS.accountId}`,
});
const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };
const before = process.cpuUsage();
const started = performance.now();
const sent: Promise<void>[] = [];
for (let n = 1; n <= rows; n++) {
  sent.push(
    request(`${apiUrl}/users/${encodeURIComponent(`user${n}@example.com`)}/status`, {
      method: "PUT",
      dispatcher,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"action":"deactivate"}',
    }).then((answer) => answer.body.dump()),
  );
  const due = started + n * intervalMs;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
}
await Promise.all(sent);
const used = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, requests: rows })}\n`);
await dispatcher.close();
