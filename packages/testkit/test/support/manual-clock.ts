/** A clock that moves only when told, for the fakes' `now` option. */
export class ManualClock {
  constructor(private current: number) {}

  readonly now = (): number => this.current;

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}

/** 2025-06-15T16:00:00.500Z: half a second past a whole second, as a real clock usually is. */
export const START_MS = 1_750_003_200_500;
