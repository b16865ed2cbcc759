/**
 * The simulator's credentials unless told others. They guard nothing (the simulator is a rehearsal on loopback);
 * a module of their own so that the CLI can name them without loading the simulator.
 */
export const DEFAULT_CREDENTIALS = {
  accountId: "sim-account",
  clientId: "sim-client",
  clientSecret: "sim-secret",
};
