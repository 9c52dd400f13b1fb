import type { Clock } from '../../../clock.js';
import { formatGoTime } from '../../../util/go-time.js';
import { isRecord } from '../../../util/is-record.js';
import { badRequest, notFound } from '../../errors.js';
import { has, readBool, readInt, readStringList, readStringMap } from '../../fields.js';
import type { HandlerContext, LogicalResponse } from '../../logical.js';
import type { Backend } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';
import { listAnswer } from './list-answer.js';

interface KvVersion {
  data: Record<string, unknown> | null;
  readonly createdMs: number;
  deletedMs: number;
  destroyed: boolean;
}

interface KvSecret {
  readonly versions: Map<number, KvVersion>;
  currentVersion: number;
  readonly createdMs: number;
  updatedMs: number;
  maxVersions: number;
  casRequired: boolean;
  customMetadata: Record<string, string> | null;
}

/** Vault's default when neither the key nor the mount sets `max_versions`. */
const DEFAULT_MAX_VERSIONS = 10;

const INVALID_PATH_WARNING =
  "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.";

/**
 * KV version 2 (vault-plugin-secrets-kv; reference §7): versioned `data/`, `metadata/` (read,
 * LIST, write, delete), soft `delete/`, `undelete/`, `destroy/`, and the mount `config`.
 */
export function kvV2Backend(now: Clock): Backend {
  const secrets = new Map<string, KvSecret>();
  const config = { maxVersions: 0, casRequired: false };

  const secretAt = (context: HandlerContext): KvSecret | undefined =>
    secrets.get(context.params['path'] ?? '');

  const versionMetadata = (version: KvVersion, number: number, secret: KvSecret) => ({
    created_time: formatGoTime(version.createdMs),
    custom_metadata: secret.customMetadata,
    deletion_time: version.deletedMs === 0 ? '' : formatGoTime(version.deletedMs),
    destroyed: version.destroyed,
    version: number,
  });

  const readData = (context: HandlerContext): LogicalResponse => {
    const secret = secretAt(context);
    if (!secret) throw notFound();
    const number = readInt(context.request.data, 'version') || secret.currentVersion;
    const version = secret.versions.get(number);
    if (!version) throw notFound();
    const metadata = versionMetadata(version, number, secret);
    // A deleted or destroyed version is a 404 *with* its metadata (RespondWithStatusCode).
    if (version.data === null || version.deletedMs !== 0) {
      return { data: { data: null, metadata }, statusCode: 404 };
    }
    return { data: { data: version.data, metadata } };
  };

  const writeData = (context: HandlerContext): LogicalResponse => {
    const path = context.params['path'] ?? '';
    const body = context.request.data;
    const data = body['data'];
    if (data === undefined || data === null) throw badRequest('no data provided');
    if (!isRecord(data)) throw badRequest('data must be a JSON object');
    const existing = secrets.get(path);
    checkAndSet(body, existing, config.casRequired);
    const nowMs = now();
    const secret: KvSecret = existing ?? {
      versions: new Map(),
      currentVersion: 0,
      createdMs: nowMs,
      updatedMs: nowMs,
      maxVersions: 0,
      casRequired: false,
      customMetadata: null,
    };
    secret.currentVersion += 1;
    secret.updatedMs = nowMs;
    const version: KvVersion = {
      data: { ...data },
      createdMs: nowMs,
      deletedMs: 0,
      destroyed: false,
    };
    secret.versions.set(secret.currentVersion, version);
    const keep = secret.maxVersions || config.maxVersions || DEFAULT_MAX_VERSIONS;
    for (const number of [...secret.versions.keys()].sort((a, b) => a - b)) {
      if (secret.versions.size <= keep) break;
      secret.versions.delete(number);
    }
    secrets.set(path, secret);
    return { data: versionMetadata(version, secret.currentVersion, secret) };
  };

  const patchData = (context: HandlerContext): LogicalResponse => {
    const secret = secretAt(context);
    const current = secret?.versions.get(secret.currentVersion);
    if (!secret || !current?.data || current.deletedMs !== 0) throw notFound();
    const patch = context.request.data['data'];
    if (!isRecord(patch)) throw badRequest('no data provided');
    const merged = mergePatch(current.data, patch);
    return writeData({
      ...context,
      request: { ...context.request, data: { ...context.request.data, data: merged } },
    });
  };

  /** The `versions` a delete/undelete/destroy request names (a list or `"1,2"`). */
  const listedVersions = (context: HandlerContext): number[] => {
    const numbers = readStringList(context.request.data, 'versions').map(Number);
    if (numbers.length === 0) throw badRequest('no version number provided');
    return numbers;
  };
  const applyTo = (
    context: HandlerContext,
    numbers: (secret: KvSecret) => number[],
    action: (version: KvVersion) => void,
  ): undefined => {
    const secret = secretAt(context);
    if (!secret) return undefined;
    for (const number of numbers(secret)) {
      const version = secret.versions.get(number);
      if (version) action(version);
    }
    return undefined;
  };
  const softDelete = (version: KvVersion): void => {
    if (version.deletedMs === 0) version.deletedMs = now();
  };

  return {
    routes: [
      route('config', {
        read: () => ({
          data: {
            cas_required: config.casRequired,
            delete_version_after: '0s',
            max_versions: config.maxVersions,
          },
        }),
        write: (context) => {
          config.maxVersions = readInt(context.request.data, 'max_versions', config.maxVersions);
          config.casRequired = readBool(context.request.data, 'cas_required', config.casRequired);
          return undefined;
        },
      }),
      route(
        'data/*path',
        {
          read: readData,
          write: writeData,
          patch: patchData,
          // DELETE data/<path> soft-deletes the current version.
          delete: (context) => applyTo(context, (secret) => [secret.currentVersion], softDelete),
        },
        { exists: (context) => secretAt(context) !== undefined },
      ),
      route('metadata', { list: () => listAnswer(secrets.keys(), '') }),
      route('metadata/*path', {
        read: (context) => {
          const secret = secretAt(context);
          if (!secret) throw notFound();
          return { data: metadataView(secret) };
        },
        list: (context) => listAnswer(secrets.keys(), context.params['path'] ?? ''),
        write: (context) => {
          const path = context.params['path'] ?? '';
          const secret = secrets.get(path);
          if (!secret) throw notFound();
          const data = context.request.data;
          secret.maxVersions = readInt(data, 'max_versions', secret.maxVersions);
          secret.casRequired = readBool(data, 'cas_required', secret.casRequired);
          if (has(data, 'custom_metadata'))
            secret.customMetadata = readStringMap(data, 'custom_metadata');
          return undefined;
        },
        delete: (context) => {
          secrets.delete(context.params['path'] ?? '');
          return undefined;
        },
      }),
      route('delete/*path', {
        write: (context) => applyTo(context, () => listedVersions(context), softDelete),
      }),
      route('undelete/*path', {
        write: (context) =>
          applyTo(
            context,
            () => listedVersions(context),
            (version) => {
              if (!version.destroyed) version.deletedMs = 0;
            },
          ),
      }),
      route('destroy/*path', {
        write: (context) =>
          applyTo(
            context,
            () => listedVersions(context),
            (version) => {
              version.destroyed = true;
              version.data = null;
            },
          ),
      }),
      // A KV-v1-style path on a v2 mount: 404 with a warning and `data: null`.
      route('*path', {
        read: invalidPath,
        list: invalidPath,
        write: invalidPath,
        delete: invalidPath,
      }),
    ],
  };

  function metadataView(secret: KvSecret): Record<string, unknown> {
    const numbers = [...secret.versions.keys()];
    return {
      cas_required: secret.casRequired,
      created_time: formatGoTime(secret.createdMs),
      current_version: secret.currentVersion,
      custom_metadata: secret.customMetadata,
      delete_version_after: '0s',
      max_versions: secret.maxVersions,
      oldest_version: numbers.length > 0 ? Math.min(...numbers) : 0,
      updated_time: formatGoTime(secret.updatedMs),
      versions: Object.fromEntries(
        [...secret.versions].map(([number, version]) => [
          String(number),
          {
            created_time: formatGoTime(version.createdMs),
            deletion_time: version.deletedMs === 0 ? '' : formatGoTime(version.deletedMs),
            destroyed: version.destroyed,
          },
        ]),
      ),
    };
  }
}

function invalidPath(): LogicalResponse {
  return { data: null, warnings: [INVALID_PATH_WARNING], statusCode: 404 };
}

/** `options.cas` (and `cas_required`), with the plugin's exact errors. */
function checkAndSet(
  body: Readonly<Record<string, unknown>>,
  existing: KvSecret | undefined,
  mountRequiresCas: boolean,
): void {
  const options = body['options'];
  const cas = isRecord(options) ? options['cas'] : undefined;
  if (cas === undefined || cas === null) {
    if (mountRequiresCas || existing?.casRequired)
      throw badRequest('check-and-set parameter required for this call');
    return;
  }
  const expected = Number(cas);
  if (!Number.isInteger(expected)) throw badRequest('error parsing check-and-set parameter');
  if (expected !== (existing?.currentVersion ?? 0)) {
    throw badRequest('check-and-set parameter did not match the current version');
  }
}

/** RFC 7386 JSON merge patch, as KV's PATCH applies it: null removes, objects merge, the rest replaces. */
function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged = new Map(Object.entries(target));
  for (const [key, value] of Object.entries(patch)) {
    const base = merged.get(key);
    if (value === null) merged.delete(key);
    else if (isRecord(value)) merged.set(key, mergePatch(isRecord(base) ? base : {}, value));
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}
