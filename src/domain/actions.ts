/** The status changes this tool sends. Zoom's schema also lists clock_in / clock_out, which we never send. */
export type Action = "activate" | "deactivate";

export const ACTIONS: readonly Action[] = ["activate", "deactivate"];
