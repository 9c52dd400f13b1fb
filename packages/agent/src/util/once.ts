/** Wraps `task` so that every call after the first returns the first call's promise (idempotent stop). */
export function once(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= task());
}
