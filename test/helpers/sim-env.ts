import type { Simulator } from "../../src/sim/server.js";

/** Credentials the tests give both the simulator and the CLI; the secret is distinctive so leaks are findable. */
export const TEST_CREDENTIALS = {
  accountId: "acct-e2e",
  clientId: "client-e2e",
  clientSecret: "sEcReT-e2e-must-never-leak-7f3a",
};

export function cliEnv(sim: Simulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ZOOM_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
    ZOOM_CLIENT_ID: TEST_CREDENTIALS.clientId,
    ZOOM_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
    ZOOM_API_URL: sim.apiUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    ...overrides,
  };
}

/** An input file of `count` generated members (user1@example.com, ...), as the simulator's generateUsers names them. */
export function generatedInput(count: number, action = "deactivate"): string {
  const lines = ["email,action"];
  for (let n = 1; n <= count; n += 1) lines.push(`user${n}@example.com,${action}`);
  return `${lines.join("\n")}\n`;
}
