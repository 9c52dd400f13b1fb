import { isRecord } from '../../util/is-record.js';
import { badRequest } from '../errors.js';
import { HclObject, HclSyntaxError, parseHcl } from './hcl.js';

export const CAPABILITIES = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
  'deny',
  'subscribe',
  'recover',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** One `path "..." { capabilities = [...] }` rule. */
export interface PathRule {
  readonly path: string;
  readonly capabilities: ReadonlySet<Capability>;
}

/** The legacy `policy = "..."` shorthand (vault/policy.go). */
const LEGACY_POLICY: Readonly<Record<string, readonly Capability[]>> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/**
 * Parses policy text (HCL or JSON, as Vault's `ParseACLPolicy` accepts both) into path rules.
 * Only capabilities are enforced by this fake; other rule keys are accepted and ignored.
 * Errors are Vault's 400 `failed to parse policy: ...`.
 */
export function parsePolicy(text: string): PathRule[] {
  try {
    const blocks = text.trimStart().startsWith('{') ? jsonPathBlocks(text) : hclPathBlocks(text);
    return blocks.map(([path, body]) => ({ path, capabilities: capabilitiesOf(path, body) }));
  } catch (error) {
    if (
      error instanceof HclSyntaxError ||
      error instanceof SyntaxError ||
      error instanceof PolicyError
    ) {
      throw badRequest(`failed to parse policy: ${error.message}`);
    }
    throw error;
  }
}

class PolicyError extends Error {}

type RuleBody = ReadonlyMap<string, unknown>;

function hclPathBlocks(text: string): Array<[string, RuleBody]> {
  return parseHcl(text).flatMap((item): Array<[string, RuleBody]> => {
    if (item.keys[0] !== 'path') return [];
    const [, path] = item.keys;
    if (path === undefined || !(item.value instanceof HclObject)) {
      throw new PolicyError('path blocks need a path and a body');
    }
    return [
      [
        path,
        new Map(item.value.items.map((attribute) => [attribute.keys.join('.'), attribute.value])),
      ],
    ];
  });
}

function jsonPathBlocks(text: string): Array<[string, RuleBody]> {
  const parsed: unknown = JSON.parse(text);
  const paths = isRecord(parsed) ? parsed['path'] : undefined;
  if (paths === undefined) return [];
  if (!isRecord(paths)) throw new PolicyError('"path" must be an object');
  return Object.entries(paths).map(([path, body]) => {
    if (!isRecord(body))
      throw new PolicyError(`path ${JSON.stringify(path)}: body must be an object`);
    return [path, new Map(Object.entries(body))];
  });
}

function capabilitiesOf(path: string, body: RuleBody): Set<Capability> {
  if (/\*./.test(path)) {
    throw new PolicyError(
      `path ${JSON.stringify(path)}: invalid use of wildcards ('*' is only permitted as the last character)`,
    );
  }
  const capabilities = new Set<Capability>();
  const legacy = body.get('policy');
  if (typeof legacy === 'string') {
    const expanded = LEGACY_POLICY[legacy];
    if (!expanded)
      throw new PolicyError(
        `path ${JSON.stringify(path)}: invalid policy ${JSON.stringify(legacy)}`,
      );
    expanded.forEach((capability) => capabilities.add(capability));
  }
  const listed = body.get('capabilities') ?? [];
  if (!Array.isArray(listed))
    throw new PolicyError(`path ${JSON.stringify(path)}: capabilities must be a list`);
  for (const name of listed) {
    const capability = CAPABILITIES.find((known) => known === name);
    if (!capability)
      throw new PolicyError(
        `path ${JSON.stringify(path)}: invalid capability ${JSON.stringify(name)}`,
      );
    capabilities.add(capability);
  }
  return capabilities;
}
