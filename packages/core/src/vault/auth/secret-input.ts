import { readFile, unlink } from 'node:fs/promises';
import { GuestInfoReader } from '../../vsphere/guestinfo-reader.js';
import { GuestInfoSecretInput } from '../../vsphere/guestinfo-secret-input.js';

/**
 * Where one secret (a role_id, a secret_id or a wrapping token for one) comes from. A later source
 * such as vSphere guestinfo implements this too; the AppRole method does not care where values live.
 */
export interface SecretInput {
  /** A short, non-secret description for logs and errors (`file /etc/guise/secret-id`). */
  readonly description: string;
  /** The current value, trimmed; undefined when there is none (yet). */
  read(): Promise<string | undefined>;
  /** Called once the value has been turned into something usable, e.g. to delete a one-shot file. */
  consumed?(): Promise<void>;
}

/** Declarative forms a config file can name; any other SecretInput can be passed as an object. */
export type SecretInputConfig =
  | { readonly file: string }
  | { readonly env: string }
  | { readonly value: string }
  /** A vSphere guestinfo key, e.g. `guestinfo.vault.secretid` (read with VMware Tools). */
  | { readonly guestinfo: string }
  | SecretInput;

export interface SecretInputOptions {
  /** Delete a file input once consumed (Vault Agent's `remove_secret_id_file_after_reading`). */
  readonly removeFileAfterReading?: boolean;
  /** Reads `guestinfo` inputs; default one that runs vmware-rpctool or vmtoolsd. */
  readonly guestInfoReader?: GuestInfoReader;
}

export function secretInputFrom(
  config: SecretInputConfig,
  options: SecretInputOptions = {},
): SecretInput {
  if ('read' in config) return config;
  if ('file' in config)
    return new FileSecretInput(config.file, options.removeFileAfterReading ?? false);
  if ('env' in config) return new EnvSecretInput(config.env);
  if ('guestinfo' in config)
    return new GuestInfoSecretInput(
      config.guestinfo,
      options.guestInfoReader ?? new GuestInfoReader(),
    );
  return new LiteralSecretInput(config.value);
}

/** A file written by a provisioning system (or by Vault Agent-style tooling); absent means "not yet". */
export class FileSecretInput implements SecretInput {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly removeAfterReading: boolean,
  ) {
    this.description = `file ${path}`;
  }

  async read(): Promise<string | undefined> {
    try {
      return nonEmpty(await readFile(this.path, 'utf8'));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async consumed(): Promise<void> {
    if (!this.removeAfterReading) return;
    try {
      await unlink(this.path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}

export class EnvSecretInput implements SecretInput {
  readonly description: string;

  constructor(private readonly name: string) {
    this.description = `environment variable ${name}`;
  }

  async read(): Promise<string | undefined> {
    return nonEmpty(process.env[this.name] ?? '');
  }
}

/** A value given in the configuration itself (a role_id is not secret; tests and embedding). */
export class LiteralSecretInput implements SecretInput {
  readonly description = 'configured value';

  constructor(private readonly value: string) {}

  async read(): Promise<string | undefined> {
    return nonEmpty(this.value);
  }
}

function nonEmpty(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
