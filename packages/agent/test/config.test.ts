import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { parseDurationSeconds } from '../src/config/duration.js';
import { toVaultSessionConfig } from '../src/compose/vault-session-config.js';
import { loadConfig, parseConfig } from '../src/config/load-config.js';

const FULL = `
listen: 127.0.0.1:8169
log: { level: debug }
vault:
  addresses: [https://vault-1.example.com:8200, https://vault-2.example.com:8200]
  namespace: ns1/
  caFile: /etc/guise/vault-ca.pem
  tokenFile: /var/lib/guise/vault-token
  auth:
    approle:
      mount: approle
      role: app
      roleId: { file: /etc/guise/role-id }
      secretId: { file: /etc/guise/secret-id, wrapped: auto, removeAfterReading: true }
facts:
  hostname: build-07
  tags: { env: prod }
credentials: { minRemaining: 25m, revokeOnShutdown: true }
aws:
  tokens: required
  role:
    name: app
    vault: { mount: aws, endpoint: sts, role: app-sts, ttl: 1h, roleArn: "arn:aws:iam::123456789012:role/app" }
  instance:
    instanceId: i-0123456789abcdef0
    region: eu-central-1
    availabilityZone: eu-central-1a
    tags: { team: platform }
    exposeTags: true
`;

/** The smallest useful file: everything else has a default. */
const MINIMAL = {
  vault: {
    address: 'https://vault.example.com:8200',
    auth: { token: { file: '/run/vault-agent/token' } },
  },
  aws: { role: { name: 'app' } },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guise-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** The problems a document is refused with (parseConfig, no environment). */
function problemsOf(document: unknown): readonly string[] {
  try {
    parseConfig(document, { source: 'config.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

/** MINIMAL with `patch` merged in, one level deep per section. */
function minimalWith(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...structuredClone(MINIMAL), ...patch };
}

describe('a valid config file', () => {
  it('parses to the typed config, durations in seconds', async () => {
    const config = await loadConfig(await write('full.yaml', FULL), { env: {} });
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 8169 },
      allowRemote: false,
      log: { level: 'debug', format: 'auto' },
      limits: {
        maxHeaderBytes: 16384,
        maxBodyBytes: 65536,
        headersTimeout: 10,
        requestTimeout: 30,
        keepAliveTimeout: 5,
      },
      vault: {
        addresses: ['https://vault-1.example.com:8200', 'https://vault-2.example.com:8200'],
        namespace: 'ns1/',
        caFile: '/etc/guise/vault-ca.pem',
        tokenFile: '/var/lib/guise/vault-token',
        requestTimeout: 30,
        auth: {
          approle: {
            mount: 'approle',
            role: 'app',
            roleId: { file: '/etc/guise/role-id' },
            secretId: { file: '/etc/guise/secret-id', wrapped: 'auto', removeAfterReading: true },
          },
        },
      },
      facts: { hostname: 'build-07', tags: { env: 'prod' } },
      credentials: { minRemaining: 1500, revokeOnShutdown: true },
      metrics: {},
      aws: {
        tokens: 'required',
        role: {
          name: 'app',
          vault: {
            mount: 'aws',
            endpoint: 'sts',
            role: 'app-sts',
            ttl: 3600,
            roleArn: 'arn:aws:iam::123456789012:role/app',
          },
        },
        instance: {
          instanceId: 'i-0123456789abcdef0',
          region: 'eu-central-1',
          availabilityZone: 'eu-central-1a',
          tags: { team: 'platform' },
          exposeTags: true,
        },
      },
    });
  });

  it('the shipped example (examples/config.yaml) is valid', async () => {
    const example = fileURLToPath(new URL('../examples/config.yaml', import.meta.url));
    const config = await loadConfig(example, { env: {} });
    expect(config.listen).toEqual({ host: '169.254.169.254', port: 80 });
    expect(config.aws?.role).toEqual({
      name: 'app',
      vault: { mount: 'aws', endpoint: 'sts', role: 'app', ttl: 3600 },
    });
  });

  it('fills in defaults: link-local listener, info logs, 20 min floor, IMDSv2 optional, Vault role = IMDS role', () => {
    const config = parseConfig(MINIMAL);
    expect(config.listen).toEqual({ host: '169.254.169.254', port: 80 });
    expect(config.log.level).toBe('info');
    expect(config.credentials).toEqual({ minRemaining: 1200, revokeOnShutdown: false });
    expect(config.vault.addresses).toEqual(['https://vault.example.com:8200']);
    expect(config.vault.auth).toEqual({ token: { file: '/run/vault-agent/token' } });
    expect(config.aws?.tokens).toBe('optional');
    expect(config.aws?.role.vault).toEqual({ mount: 'aws', endpoint: 'sts', role: 'app' });
    expect(config.facts).toEqual({});
  });

  it('has explicit listener limits with safe defaults, each settable', () => {
    expect(parseConfig(MINIMAL).limits).toEqual({
      maxHeaderBytes: 16384,
      maxBodyBytes: 65536,
      headersTimeout: 10,
      requestTimeout: 30,
      keepAliveTimeout: 5,
    });
    const tuned = parseConfig(
      minimalWith({
        limits: {
          maxHeaderBytes: 8192,
          maxBodyBytes: 0,
          headersTimeout: '3s',
          keepAliveTimeout: 1,
        },
      }),
    );
    expect(tuned.limits).toEqual({
      maxHeaderBytes: 8192,
      maxBodyBytes: 0,
      headersTimeout: 3,
      requestTimeout: 30,
      keepAliveTimeout: 1,
    });
    expect(() => parseConfig(minimalWith({ limits: { maxHeaderBytes: 10 } }))).toThrow(ConfigError);
  });

  it('times a Vault request out after 30 s unless vault.requestTimeout says otherwise', () => {
    const session = (vault: Record<string, unknown>) =>
      toVaultSessionConfig(
        parseConfig(minimalWith({ vault: { ...MINIMAL.vault, ...vault } })).vault,
      );
    expect(session({}).requestTimeoutMs).toBe(30_000);
    expect(session({ requestTimeout: '5s' }).requestTimeoutMs).toBe(5_000);
    expect(problemsOf(minimalWith({ vault: { ...MINIMAL.vault, requestTimeout: 0 } }))).toEqual([
      'config.yaml: vault.requestTimeout: expected at least 1s',
    ]);
  });

  it('reads role_id and secret_id references from env or inline values', () => {
    const config = parseConfig(
      minimalWith({
        vault: {
          address: 'http://127.0.0.1:8200',
          auth: {
            approle: {
              roleId: { env: 'VAULT_ROLE_ID' },
              secretId: { env: 'VAULT_SECRET_ID', wrapped: false },
            },
          },
        },
      }),
    );
    expect(config.vault.auth.approle).toEqual({
      roleId: { env: 'VAULT_ROLE_ID' },
      secretId: { env: 'VAULT_SECRET_ID', wrapped: false },
    });
    const inline = parseConfig(
      minimalWith({
        vault: {
          address: 'http://127.0.0.1:8200',
          auth: { approle: { roleId: { value: 'r-1' } } },
        },
      }),
    );
    expect(inline.vault.auth.approle).toEqual({ roleId: { value: 'r-1' } });
  });

  it('accepts a routable listen address only with allowRemote: true', () => {
    const config = parseConfig(minimalWith({ listen: '10.1.2.3:80', allowRemote: true }));
    expect(config.listen).toEqual({ host: '10.1.2.3', port: 80 });
    expect(parseConfig(minimalWith({ listen: '[fd00:ec2::254]:80' })).listen).toEqual({
      host: 'fd00:ec2::254',
      port: 80,
    });
  });
});

describe('mistakes name the key and say what was expected', () => {
  it('a file that configures no cloud at all', () => {
    expect(problemsOf({ vault: MINIMAL.vault })).toEqual([
      'config.yaml: nothing to serve: configure aws, gcp or azure',
    ]);
  });

  it('a secret reference with none of file, env, value, guestinfo', () => {
    const problems = problemsOf(
      minimalWith({
        vault: {
          address: 'http://127.0.0.1:8200',
          auth: { approle: { roleId: { file: '/r' }, secretId: {} } },
        },
      }),
    );
    expect(problems).toEqual([
      'config.yaml: vault.auth.approle.secretId: expected one of file, env, value, guestinfo',
    ]);
  });

  it('a secret reference with two sources', () => {
    expect(
      problemsOf(
        minimalWith({
          vault: {
            address: 'http://127.0.0.1:8200',
            auth: { approle: { roleId: { file: '/r', env: 'X' } } },
          },
        }),
      ),
    ).toEqual(['config.yaml: vault.auth.approle.roleId: expected only one of file, env']);
  });

  it('a misspelt key is an error listing the keys the section accepts', () => {
    const problems = problemsOf(
      minimalWith({ credentials: { minRemaining: '20m', revokeOnShutdwon: true } }),
    );
    expect(problems).toEqual([
      'config.yaml: credentials.revokeOnShutdwon: unknown key; expected one of minRemaining, revokeOnShutdown',
    ]);
  });

  it('an unknown top-level key', () => {
    expect(problemsOf(minimalWith({ listn: '127.0.0.1:80' }))).toEqual([
      'config.yaml: listn: unknown key; expected one of listen, allowRemote, log, limits, vault, facts, credentials, metrics, aws, gcp, azure',
    ]);
  });

  it('a value outside an enumeration', () => {
    expect(
      problemsOf(minimalWith({ aws: { tokens: 'sometimes', role: { name: 'app' } } })),
    ).toEqual([
      'config.yaml: aws.tokens: expected one of optional, required, disabled, got "sometimes"',
    ]);
    expect(
      problemsOf(
        minimalWith({
          vault: {
            address: 'http://127.0.0.1:8200',
            auth: { approle: { roleId: { file: '/r' }, secretId: { file: '/s', wrapped: 'yes' } } },
          },
        }),
      ),
    ).toEqual([
      'config.yaml: vault.auth.approle.secretId.wrapped: expected one of auto, true, false, got "yes"',
    ]);
  });

  it('a missing section and a value of the wrong type', () => {
    expect(problemsOf({ aws: { role: { name: 'app' } } })).toEqual([
      'config.yaml: vault: required',
    ]);
    expect(
      problemsOf(
        minimalWith({ vault: { addresses: 'https://v:8200', auth: { token: { file: '/t' } } } }),
      ),
    ).toEqual(['config.yaml: vault.addresses: expected a list, got "https://v:8200"']);
  });

  it('both address and addresses, or neither', () => {
    expect(
      problemsOf(
        minimalWith({
          vault: {
            address: 'https://a:8200',
            addresses: ['https://b:8200'],
            auth: { token: { file: '/t' } },
          },
        }),
      ),
    ).toEqual(['config.yaml: vault: expected only one of address, addresses']);
    expect(problemsOf(minimalWith({ vault: { auth: { token: { file: '/t' } } } }))).toEqual([
      'config.yaml: vault: expected one of address, addresses',
    ]);
  });

  it('an address that is not an http(s) URL, inside a list', () => {
    expect(
      problemsOf(
        minimalWith({
          vault: { addresses: ['https://a:8200', 'vault:8200'], auth: { token: { file: '/t' } } },
        }),
      ),
    ).toEqual(['config.yaml: vault.addresses[1]: expected an http:// or https:// URL']);
  });

  it('a routable listen address without allowRemote, and a malformed one', () => {
    expect(problemsOf(minimalWith({ listen: '0.0.0.0:80' }))).toEqual([
      'config.yaml: listen: 0.0.0.0 is neither loopback nor link-local; set allowRemote: true to serve credentials to the network',
    ]);
    expect(problemsOf(minimalWith({ listen: 'localhost:http' }))).toEqual([
      'config.yaml: listen: expected HOST:PORT, [IPV6]:PORT or PORT',
    ]);
  });

  it('an IMDS role name IMDS could not serve, and a bad MAC in facts', () => {
    expect(
      problemsOf(minimalWith({ aws: { role: { name: 'my role/x' } }, facts: { mac: 'zz' } })),
    ).toEqual([
      'config.yaml: facts.mac: expected a MAC address (aa:bb:cc:dd:ee:ff)',
      'config.yaml: aws.role.name: expected an IAM role name (letters, digits, +=,.@_-)',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      listen: 80,
      vault: { address: 'https://v', auth: {} },
      aws: { role: {} },
    });
    expect(problems).toEqual([
      'config.yaml: listen: expected a string, got 80',
      'config.yaml: vault.auth: expected one of approle, token',
      'config.yaml: aws.role.name: required',
    ]);
  });

  it('a YAML syntax error names the line and column', async () => {
    const file = await write('broken.yaml', 'vault:\n  address: [unclosed\naws: {}\n');
    await expect(loadConfig(file, { env: {} })).rejects.toThrow(
      `${file}:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    const duplicate = await write('duplicate.yaml', 'vault: {}\nvault: {}\n');
    await expect(loadConfig(duplicate, { env: {} })).rejects.toThrow(
      `${duplicate}:2:1: invalid YAML: Map keys must be unique`,
    );
  });

  it('a missing file, an empty file, a top level that is not a mapping', async () => {
    const missing = path.join(dir, 'absent.yaml');
    await expect(loadConfig(missing, { env: {} })).rejects.toThrow(
      `${missing}: cannot read: no such file (ENOENT)`,
    );
    const empty = await write('empty.yaml', '');
    await expect(loadConfig(empty, { env: {} })).rejects.toThrow(`${empty}: vault: required`);
    const list = await write('list.yaml', '- a\n- b\n');
    await expect(loadConfig(list, { env: {} })).rejects.toThrow(
      `${list}: expected a mapping of settings at the top level`,
    );
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['20m', 1200],
    ['1h', 3600],
    ['1h30m', 5400],
    ['768h', 2_764_800],
    ['1d', 86_400],
    ['1.5h', 5400],
    ['3600', 3600],
    [3600, 3600],
    [0, 0],
  ])('%j is %i seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['', 'h', '20 minutes', '1x', '-5s', -1, 1.5])('%j is refused', (input) => {
    expect(parseDurationSeconds(input)).toBeUndefined();
  });

  it('a bad duration in the file says what a duration looks like', () => {
    expect(problemsOf(minimalWith({ credentials: { minRemaining: '20 minutes' } }))).toEqual([
      'config.yaml: credentials.minRemaining: expected a duration such as 90s, 20m, 1h or a whole number of seconds',
    ]);
    expect(problemsOf(minimalWith({ credentials: { minRemaining: true } }))).toEqual([
      'config.yaml: credentials.minRemaining: expected a duration such as 90s, 20m, 1h or a whole number of seconds',
    ]);
  });
});

describe('environment overrides', () => {
  const twoAddresses = `
vault:
  addresses: [https://vault-1:8200, https://vault-2:8200]
  auth: { token: { file: /t } }
aws: { role: { name: app } }
`;

  it('GUISE_LISTEN, GUISE_LOG_LEVEL, VAULT_ADDR, VAULT_NAMESPACE, VAULT_CACERT replace the file', async () => {
    const config = await loadConfig(await write('env.yaml', twoAddresses), {
      env: {
        GUISE_LISTEN: '127.0.0.1:9000',
        GUISE_LOG_LEVEL: 'warn',
        VAULT_ADDR: 'https://vault-dr:8200',
        VAULT_NAMESPACE: 'team-a/',
        VAULT_CACERT: '/etc/ssl/vault.pem',
      },
    });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.log.level).toBe('warn');
    // VAULT_ADDR stands for the whole address list, as it does for the Vault CLI.
    expect(config.vault.addresses).toEqual(['https://vault-dr:8200']);
    expect(config.vault.namespace).toBe('team-a/');
    expect(config.vault.caFile).toBe('/etc/ssl/vault.pem');
  });

  it('empty variables count as unset', async () => {
    const config = await loadConfig(await write('env-empty.yaml', twoAddresses), {
      env: { VAULT_ADDR: '' },
    });
    expect(config.vault.addresses).toEqual(['https://vault-1:8200', 'https://vault-2:8200']);
  });

  it('a bad value is reported under the variable that set it', async () => {
    const file = await write('env-bad.yaml', twoAddresses);
    await expect(
      loadConfig(file, { env: { VAULT_ADDR: 'vault:8200', GUISE_LISTEN: '0.0.0.0:80' } }),
    ).rejects.toThrow(
      [
        'VAULT_ADDR (vault.address): expected an http:// or https:// URL',
        'GUISE_LISTEN (listen): 0.0.0.0 is neither loopback nor link-local; set allowRemote: true to serve credentials to the network',
      ].join('\n'),
    );
  });

  it('a command-line override wins over the environment and is named in errors', async () => {
    const file = await write('env-cli.yaml', twoAddresses);
    const config = await loadConfig(file, {
      env: { GUISE_LISTEN: '127.0.0.1:9000' },
      overrides: [{ source: '--listen', path: ['listen'], value: '127.0.0.2:9001' }],
    });
    expect(config.listen).toEqual({ host: '127.0.0.2', port: 9001 });
    await expect(
      loadConfig(file, {
        env: {},
        overrides: [{ source: '--listen', path: ['listen'], value: 'nowhere' }],
      }),
    ).rejects.toThrow('--listen (listen): expected HOST:PORT, [IPV6]:PORT or PORT');
  });
});

describe('the azure section', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '11111111-2222-4333-8444-555555555555';

  it('fills in defaults and the Vault role from the identity name', () => {
    const config = parseConfig(
      minimalWith({
        azure: {
          tenantId: TENANT,
          identities: [
            { name: 'system', systemAssigned: true },
            { name: 'app', clientId: CLIENT, vault: { role: 'app-sp' } },
          ],
          appService: { listen: '127.0.0.1:41741', secret: { env: 'GUISE_IDENTITY_HEADER' } },
        },
      }),
    );
    expect(config.azure).toMatchObject({
      tenantId: TENANT,
      authorityHost: 'https://login.microsoftonline.com',
      propagationWindow: 60,
      identityRequestsPerSecond: 20,
      identities: [
        { name: 'system', systemAssigned: true, vault: { mount: 'azure', role: 'system' } },
        {
          name: 'app',
          systemAssigned: false,
          clientId: CLIENT,
          vault: { mount: 'azure', role: 'app-sp' },
        },
      ],
      appService: {
        listen: { host: '127.0.0.1', port: 41741 },
        secret: { env: 'GUISE_IDENTITY_HEADER' },
      },
    });
  });

  it.each([
    [
      { tenantId: TENANT, identities: [{ name: 'x', systemAssigned: true }], region: 'westeurope' },
      'config.yaml: azure.region: unknown key; expected one of tenantId, authorityHost, caFile, propagationWindow, identities, identityRequestsPerSecond, instance, appService',
    ],
    [
      { tenantId: TENANT, identities: [{ name: 'app' }] },
      'config.yaml: azure.identities[0]: a user-assigned identity needs clientId, objectId or resourceId for clients to select it by',
    ],
    [
      {
        tenantId: TENANT,
        identities: [
          { name: 'a', systemAssigned: true },
          { name: 'b', systemAssigned: true },
        ],
      },
      'config.yaml: azure.identities: at most one identity may be systemAssigned',
    ],
    [
      {
        tenantId: TENANT,
        authorityHost: 'http://login.example',
        identities: [{ name: 'x', systemAssigned: true }],
      },
      'config.yaml: azure.authorityHost: expected an https:// URL',
    ],
    [
      {
        tenantId: TENANT,
        identities: [{ name: 'x', systemAssigned: true }],
        appService: { listen: '10.0.0.5:41741', secret: { value: 'x'.repeat(20) } },
      },
      'config.yaml: azure.appService.listen: 10.0.0.5 is neither loopback nor link-local; set allowRemote: true to serve credentials to the network',
    ],
  ])('names the key of a mistake (%#)', (azure, problem) => {
    expect(problemsOf(minimalWith({ azure }))).toEqual([problem]);
  });
});
