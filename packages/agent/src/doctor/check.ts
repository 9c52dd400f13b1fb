/**
 * One thing `guise doctor` or `guise net status` looked at. `skipped` means it could not be
 * looked at safely or meaningfully (e.g. a login that would spend a one-shot secret_id); it does
 * not fail the run.
 */
export interface Check {
  readonly ok: boolean;
  readonly what: string;
  /** What to do about it, shown when the check failed or was skipped. */
  readonly fix?: string;
  readonly skipped?: boolean;
}

/** `✓ what`, `✗ what — fix: ...` or `– what — fix: ...`. */
export function formatCheck(check: Check): string {
  const mark = check.skipped ? '–' : check.ok ? '✓' : '✗';
  const fix = !check.ok || check.skipped ? (check.fix ? ` — fix: ${check.fix}` : '') : '';
  return `${mark} ${check.what}${fix}`;
}

export const passed = (what: string): Check => ({ ok: true, what });
export const failed = (what: string, fix: string): Check => ({ ok: false, what, fix });
export const skipped = (what: string, fix: string): Check => ({
  ok: true,
  what,
  fix,
  skipped: true,
});
