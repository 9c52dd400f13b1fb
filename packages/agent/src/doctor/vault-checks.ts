import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VaultSessionConfig } from '@guise/core';
import {
  isWrappedSecretId,
  NodeVaultSession,
  secretInputFrom,
  silentLogger,
  systemClock,
  VaultUnreachableError,
} from '@guise/core';
import { toVaultSessionConfig } from '../compose/vault-session-config.js';
import type { AgentConfig } from '../config/schema.js';
import type { Check } from './check.js';
import { failed, passed, skipped } from './check.js';
import { configuredSecretsPaths } from './secrets-paths.js';
import { fetchVaultHealth } from './vault-health.js';

/** Clock skew beyond which the doctor complains: token TTL arithmetic and AWS signatures drift. */
const MAX_SKEW_SECONDS = 30;

/** Vault reachability, clock skew, login, token renewability and permission on secrets paths. */
export async function vaultChecks(config: AgentConfig, now = Date.now): Promise<Check[]> {
  const checks: Check[] = [];
  let serverTime: number | undefined;
  for (const address of config.vault.addresses) {
    try {
      const health = await fetchVaultHealth(address, config.vault.caFile);
      if (health.sealed) {
        checks.push(failed(`vault ${address} is sealed`, 'unseal it (vault operator unseal)'));
        continue;
      }
      const role = health.performance_standby
        ? 'performance standby'
        : health.standby
          ? 'standby'
          : 'active';
      checks.push(passed(`vault ${address} answers (${health.version ?? '?'}, ${role})`));
      serverTime ??= health.server_time_utc;
    } catch (error) {
      checks.push(
        failed(
          `vault ${address} is unreachable: ${messageOf(error)}`,
          'check vault.address, DNS, the firewall, and vault.caFile for TLS',
        ),
      );
    }
  }
  if (serverTime === undefined) {
    return [...checks, skipped('login, renewal and permissions not checked', 'reach Vault first')];
  }
  // Vault reports whole seconds: compare whole seconds, or a fresh second reads as skew.
  const skew = Math.floor(now() / 1000) - serverTime;
  checks.push(
    Math.abs(skew) <= MAX_SKEW_SECONDS
      ? passed(`clock within ${MAX_SKEW_SECONDS}s of Vault's (${skew}s)`)
      : failed(
          `clock is ${skew}s off Vault's`,
          'enable time synchronisation (systemctl enable --now systemd-timesyncd)',
        ),
  );
  return [...checks, ...(await sessionChecks(config))];
}

/**
 * Logs in as the agent would, without changing what the agent relies on: a kept token is used
 * from a private copy (so nothing the doctor does is persisted over it), a secret_id file is never
 * deleted, and a wrapped secret_id is never unwrapped (that would spend it).
 */
async function sessionChecks(config: AgentConfig): Promise<Check[]> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'guise-doctor-'));
  try {
    const kept = await keptTokenCopy(config.vault.tokenFile, scratch);
    const base = toVaultSessionConfig(config.vault);
    if (!kept && base.auth.method === 'approle' && base.auth.secretId !== undefined) {
      const input = secretInputFrom(base.auth.secretId);
      const value = await input.read().catch(() => undefined);
      if (value !== undefined && isWrappedSecretId(value, base.auth.wrapped)) {
        return [
          skipped(
            `login not tried: the secret_id in ${input.description} is a single-use wrapping token`,
            'start the agent first (it unwraps it and keeps its token in vault.tokenFile), then run doctor again',
          ),
        ];
      }
    }
    const sessionConfig: VaultSessionConfig = {
      ...base,
      auth:
        base.auth.method === 'approle'
          ? { ...base.auth, removeSecretIdFileAfterReading: false }
          : base.auth,
      tokenStorePath: kept,
      retry: { maxAttempts: 1 },
    };
    return await withSession(sessionConfig, config);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function withSession(
  sessionConfig: VaultSessionConfig,
  config: AgentConfig,
): Promise<Check[]> {
  const session = new NodeVaultSession(sessionConfig, systemClock, silentLogger);
  try {
    try {
      await session.start();
    } catch (error) {
      return [
        failed(
          `vault login (${sessionConfig.auth.method}) failed: ${messageOf(error)}`,
          error instanceof VaultUnreachableError
            ? 'Vault answered its health check but not the login: a standby redirects requests to the active node, which must be reachable from here too (check the cluster, the firewall, vault.address)'
            : 'check the role_id and secret_id (a secret_id may be used up or expired: deliver a new one)',
        ),
      ];
    }
    const adopted = (session.status().logins ?? 0) === 0;
    const checks: Check[] = [
      passed(
        adopted
          ? 'the kept vault token is valid'
          : `vault login (${sessionConfig.auth.method}) succeeded`,
      ),
    ];
    const self = await session.read<{ renewable?: boolean; ttl?: number }>(
      'auth/token/lookup-self',
    );
    checks.push(
      self.data?.renewable
        ? passed(`vault token is renewable (ttl ${self.data.ttl ?? '?'}s)`)
        : failed(
            'vault token is not renewable: the agent must log in again before it expires',
            'give the AppRole role a token_ttl and token_max_ttl (renewable service tokens)',
          ),
    );
    const paths = configuredSecretsPaths(config, session);
    const answer = await session.write<Record<string, string[]>>('sys/capabilities-self', {
      paths: paths.map((p) => p.path),
    });
    for (const { path: secretsPath, capability, purpose } of paths) {
      const granted = answer.data?.[secretsPath] ?? [];
      checks.push(
        granted.includes(capability) || granted.includes('root')
          ? passed(`may ${capability} ${secretsPath} (${purpose})`)
          : failed(
              `may not ${capability} ${secretsPath} (${purpose}); granted: ${granted.join(', ') || 'nothing'}`,
              `add path "${secretsPath}" { capabilities = ["${capability}"] } to the AppRole role's policy`,
            ),
      );
    }
    return checks;
  } finally {
    await session.close();
  }
}

/** A private copy of the agent's kept token, or undefined when there is none (or it is unreadable). */
async function keptTokenCopy(
  tokenFile: string | undefined,
  dir: string,
): Promise<string | undefined> {
  if (tokenFile === undefined) return undefined;
  const copy = path.join(dir, 'vault-token');
  return copyFile(tokenFile, copy).then(
    () => copy,
    () => undefined,
  );
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
