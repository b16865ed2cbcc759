/**
 * What `schedule` resolves to for an attempt that never started because the pacer was halted. A module of its own
 * so that the retry loop (which every look-up imports) does not load Bottleneck: an offline dry run never paces
 * anything and should not pay for loading it.
 */
export const NOT_SENT: unique symbol = Symbol("not sent");
export type NotSent = typeof NOT_SENT;
