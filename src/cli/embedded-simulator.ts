import { createHash } from "node:crypto";
import { userKey } from "../domain/users.js";
import { checkRecord } from "../input/check-row.js";
import { openInput } from "../input/open-input.js";
import { DEFAULT_CREDENTIALS } from "../sim/default-credentials.js";
import type { SimUser, Simulator } from "../sim/server.js";
import type { RunConfig } from "./run-config.js";

/**
 * `run --simulate`: a simulator on loopback in this process, and a config pointed at it. Its directory comes
 * from --sim-users, or else holds every valid user of the input as an active member, so that a rehearsal with
 * the real HR file exercises the real pacing and report.
 */
export async function startEmbeddedSimulator(
  config: RunConfig,
): Promise<{ simulator: Simulator; config: RunConfig }> {
  // Loaded on use, so that a real run does not pay for loading the simulator at start-up.
  const [{ startSimulator }, { loadSimUsers }] = await Promise.all([
    import("../sim/server.js"),
    import("../sim/users.js"),
  ]);
  const users =
    config.simUsersPath === undefined
      ? await usersFromInput(config)
      : await loadSimUsers(config.simUsersPath);
  const credentials = DEFAULT_CREDENTIALS;
  const simulator = await startSimulator({
    tier: config.tier === "custom" ? "business" : config.tier,
    lightRps: config.tierRps,
    users,
    credentials,
    latencyMs: 40,
    latencyJitterMs: 20,
  });
  return {
    simulator,
    config: { ...config, apiUrl: simulator.apiUrl, oauthUrl: simulator.oauthUrl, credentials },
  };
}

async function usersFromInput(config: RunConfig): Promise<SimUser[]> {
  const input = await openInput(config.inputPath);
  const byKey = new Map<string, SimUser>();
  const simUser = (value: string, status: SimUser["status"]): SimUser => {
    const isEmail = value.includes("@");
    const id = isEmail
      ? createHash("sha256").update(value.toLowerCase()).digest("base64url").slice(0, 22)
      : value;
    const email = isEmail ? value : `${value.toLowerCase()}@sim.invalid`;
    return { id, email, status, role: "member", type: 2 };
  };
  for await (const record of input.records) {
    const check = checkRecord(record, {
      defaultAction: config.defaultAction,
      hasActionColumn: input.layout.actionColumn !== undefined,
      defaultTransferTo: config.defaultTransferTo,
      removalWithoutTransfer: true,
    });
    if (!check.ok) continue;
    // Each user starts in the state the file's first row for them changes, so that the rehearsal changes something;
    // a transfer target is an active, Licensed member who can receive the data.
    if (!byKey.has(check.key))
      byKey.set(check.key, simUser(check.user, check.action === "activate" ? "inactive" : "active"));
    if (check.transferTo !== undefined && !byKey.has(userKey(check.transferTo))) {
      byKey.set(userKey(check.transferTo), simUser(check.transferTo, "active"));
    }
  }
  return [...byKey.values()];
}
