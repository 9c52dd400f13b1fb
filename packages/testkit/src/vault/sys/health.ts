import { GoStruct } from '../../util/go-json.js';
import { unixSeconds } from '../../util/go-time.js';
import { badRequest, VaultError } from '../errors.js';
import { parseGoBool } from '../fields.js';
import type { ServerIdentity } from '../services.js';

/** The node's state as the faults make it look. */
export interface NodeState {
  readonly sealed: boolean;
  /** A standby (the fake redirects to an active node). */
  readonly standby: boolean;
  /** A performance standby (answers requests itself). */
  readonly performanceStandby: boolean;
}

export interface HealthAnswer {
  readonly status: number;
  readonly body: GoStruct;
}

/**
 * `GET|HEAD /v1/sys/health` (reference §1.4; vault/http/sys_health.go): unauthenticated, the
 * status chosen by the node's state and the `*code` / `standbyok` query parameters, the body in
 * `HealthResponse` field order (cluster name/id omitted while sealed).
 */
export function answerHealth(
  query: URLSearchParams,
  node: NodeState,
  identity: ServerIdentity,
  nowMs: number,
): HealthAnswer {
  const standbyOk = readBoolParam(query, 'standbyok');
  const code = (name: string, fallback: number): number => {
    const text = query.get(name);
    if (text === null) return fallback;
    if (!/^-?\d+$/.test(text)) throw new VaultError(400, []);
    return Number.parseInt(text, 10);
  };
  const activeCode = code('activecode', 200);
  const standbyCode = code('standbycode', 429);
  // DR secondaries and uninitialized nodes do not exist in this fake, but their parameters are
  // parsed (and rejected when malformed) as Vault does.
  code('drsecondarycode', 472);
  const perfStandbyCode = code('performancestandbycode', 473);
  code('uninitcode', 501);
  const perfStandbyOk = readBoolParam(query, 'perfstandbyok');
  const sealedCode = code('sealedcode', 503);

  // sys_health.go's order: sealed, then performance standby, then standby.
  const status = node.sealed
    ? sealedCode
    : node.performanceStandby
      ? perfStandbyOk
        ? activeCode
        : perfStandbyCode
      : node.standby && !standbyOk
        ? standbyCode
        : activeCode;
  const body = new GoStruct([
    ['initialized', true],
    ['sealed', node.sealed],
    // A performance standby is a standby too (core.StandbyStates).
    ['standby', node.sealed || node.standby || node.performanceStandby],
    ['performance_standby', !node.sealed && node.performanceStandby],
    ['replication_performance_mode', 'disabled'],
    ['replication_dr_mode', 'disabled'],
    ['server_time_utc', unixSeconds(nowMs)],
    ['version', identity.version],
    ['enterprise', false],
    ...(node.sealed
      ? []
      : ([
          ['cluster_name', identity.clusterName],
          ['cluster_id', identity.clusterId],
        ] as const)),
  ]);
  return { status, body };
}

/** `GET /v1/sys/seal-status`: unauthenticated and answered even while sealed. */
export function sealStatus(node: NodeState, identity: ServerIdentity): GoStruct {
  return new GoStruct([
    ['type', 'shamir'],
    ['initialized', true],
    ['sealed', node.sealed],
    ['t', 1],
    ['n', 1],
    ['progress', 0],
    ['nonce', ''],
    ['version', identity.version],
    ['build_date', '2025-06-23T10:21:30Z'],
    ['migration', false],
    ...(node.sealed
      ? []
      : ([
          ['cluster_name', identity.clusterName],
          ['cluster_id', identity.clusterId],
        ] as const)),
    ['recovery_seal', false],
    ['storage_type', 'inmem'],
  ]);
}

/** parseutil.ParseBool of the first value; absent is false. */
function readBoolParam(query: URLSearchParams, name: string): boolean {
  const text = query.get(name);
  if (text === null) return false;
  const parsed = parseGoBool(text);
  if (parsed === undefined) {
    throw badRequest(
      `bad value for ${name} parameter: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`,
    );
  }
  return parsed;
}
