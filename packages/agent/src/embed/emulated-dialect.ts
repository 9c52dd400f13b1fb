import type { DependencyContainer } from 'tsyringe';

/**
 * One cloud dialect as `startEmulator` runs it: how it is added to the emulator's container, and
 * the environment variables that point that cloud's SDKs at the emulator's URL. Each dialect of
 * the emulator (AWS, GCP, Azure) is one of these, so the emulator itself knows no cloud.
 */
export interface EmulatedDialect {
  /** Registers the dialect's provider (and its credential source) in `scope`. */
  register(scope: DependencyContainer): void;
  /** The variables that send this cloud's SDKs to `url` and nowhere else. */
  env(url: string): Record<string, string>;
}
