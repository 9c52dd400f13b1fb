/** Process exit statuses of `guise`, as scripts and systemd units see them. */
export const EXIT = {
  ok: 0,
  /** Something failed at run time: the listener could not bind, a dependency would not start. */
  failure: 1,
  /** The command line or the configuration is wrong; running it again unchanged will not help. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
