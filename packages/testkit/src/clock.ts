/** Epoch milliseconds; injectable so tests can move time (default `Date.now`). */
export type Clock = () => number;
