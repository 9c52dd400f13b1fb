import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PARENT_NETNS_ENV, probePrivateNetns, runInPrivateNetns } from './e2e/netns.js';
import { cleanEnv, GUISE_CLI } from './support/guise-process.js';

const netns = probePrivateNetns();
const hasNft = spawnSync('nft', ['--version']).status === 0;

/**
 * One scenario in a private network namespace: every change `guise net` makes lands on that
 * namespace's own `lo`, never the host's. The script refuses to run if it finds itself in the
 * caller's namespace. Sections are printed as `## name` so the test can read each step's output.
 */
const SCENARIO = `
set -u
[ "$(stat -L -c %i /proc/self/ns/net)" != "$${PARENT_NETNS_ENV}" ] || { echo "not in a private netns"; exit 99; }
g() { "$NODE" "$GUISE" "$@"; echo "rc=$?"; }
echo '## status-before'; g net status
echo '## setup'; g net setup $REDIRECT
echo '## setup-again'; g net setup $REDIRECT
echo '## status'; g net status $REDIRECT
echo '## addresses'; ip -j addr show dev lo
echo '## through-port-80'
if [ -n "$REDIRECT" ]; then
  "$NODE" -e '
    const http = require("node:http");
    const server = http.createServer((q, s) => s.end("agent on 8169 answered " + q.url));
    server.listen(8169, "169.254.169.254", () =>
      http.get("http://169.254.169.254/latest/meta-data/", (r) => {
        let body = ""; r.on("data", (c) => (body += c));
        r.on("end", () => { console.log(body); server.close(); });
      }));'
fi
echo '## teardown'; g net teardown
echo '## status-after'; g net status
echo '## unprivileged'; setpriv --bounding-set -net_admin "$NODE" "$GUISE" net setup 2>&1; echo "rc=$?"
`;

function sections(output: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of output.split(/^## /m).slice(1)) {
    const [name = '', ...body] = part.split('\n');
    found[name] = body.join('\n').trim();
  }
  return found;
}

describe.skipIf(!netns.available)('guise net, in a private network namespace', () => {
  it.each([
    { label: 'addresses only', redirect: '' },
    ...(hasNft
      ? [{ label: 'with the port-80 redirect (nftables)', redirect: '--redirect-port 8169' }]
      : []),
  ])(
    'sets up idempotently, reports, refuses without privilege, tears down: $label',
    async ({ redirect }) => {
      if (!netns.available) return;
      const run = await runInPrivateNetns(
        netns,
        ['sh', '-c', SCENARIO],
        cleanEnv({ NODE: process.execPath, GUISE: GUISE_CLI, REDIRECT: redirect }),
        60_000,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const out = sections(run.stdout);
      const ipv6 = out['setup']?.includes('fd00:ec2::254/128');

      expect(out['status-before']).toContain(
        '✗ 169.254.169.254/32 on lo — fix: sudo guise net setup',
      );
      expect(out['status-before']).toMatch(/rc=1$/);
      expect(out['setup']).toContain('added 169.254.169.254/32 to lo');
      expect(out['setup']).toMatch(/rc=0$/);
      expect(out['setup-again']).toContain('169.254.169.254/32 already on lo');
      expect(out['setup-again']).not.toContain('added');
      expect(out['status']).toContain('✓ 169.254.169.254/32 on lo');
      expect(out['status']).toMatch(/rc=0$/);

      const [lo] = JSON.parse(out['addresses'] ?? '[]') as Array<{
        addr_info: Array<{ local: string; prefixlen: number }>;
      }>;
      const addresses = lo?.addr_info.map((a) => `${a.local}/${a.prefixlen}`) ?? [];
      // Exactly once each, even after two setups.
      expect(addresses.filter((a) => a === '169.254.169.254/32')).toHaveLength(1);
      if (ipv6) expect(addresses.filter((a) => a === 'fd00:ec2::254/128')).toHaveLength(1);

      if (redirect) {
        expect(out['status']).toContain('✓ port 80 of 169.254.169.254 redirected to 8169');
        expect(out['through-port-80']).toBe('agent on 8169 answered /latest/meta-data/');
      }

      expect(out['unprivileged']).toContain(
        'adding 169.254.169.254/32 to lo: not permitted. This needs CAP_NET_ADMIN',
      );
      expect(out['unprivileged']).toMatch(/rc=1$/);
      expect(out['teardown']).toContain('removed 169.254.169.254/32 from lo');
      if (redirect) expect(out['teardown']).toContain('removed the port-80 redirect');
      expect(out['status-after']).toContain('✗ 169.254.169.254/32 on lo');
    },
    60_000,
  );
});

describe('guise net --help', () => {
  it('shows examples', () => {
    const help = spawnSync(process.execPath, [GUISE_CLI, 'net', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('sudo guise net setup --redirect-port 8169');
  });
});

/**
 * The unprivileged-port deployment end to end: `guise net setup --redirect-port 8169`, the agent
 * (here `guise dev`) on 169.254.169.254:8169, and the AWS CLI with no endpoint configured at all,
 * reaching IMDS at its default address and port 80 through the DNAT rule.
 */
const ZERO_CONFIG_ON_8169 = `
set -u
[ "$(stat -L -c %i /proc/self/ns/net)" != "$${PARENT_NETNS_ENV}" ] || { echo "not in a private netns"; exit 99; }
work=$(mktemp -d)
"$NODE" "$GUISE" net setup --redirect-port 8169 >/dev/null || exit 3
"$NODE" "$GUISE" dev --json --listen 169.254.169.254:8169 > "$work/dev.json" 2> "$work/dev.log" &
for _ in $(seq 100); do [ -s "$work/dev.json" ] && break; sleep 0.1; done
sts=$("$NODE" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stsEndpoint)' "$work/dev.json") || { cat "$work/dev.log"; exit 4; }
aws sts get-caller-identity --endpoint-url "$sts" --region us-east-1 --output json
`;

const hasAwsCli = spawnSync('aws', ['--version']).status === 0;

describe.skipIf(!netns.available || !hasNft || !hasAwsCli)(
  'the AWS CLI with zero configuration, agent on port 8169 behind the redirect (needs nft and aws)',
  () => {
    it('finds credentials at 169.254.169.254:80', async () => {
      if (!netns.available) return;
      const run = await runInPrivateNetns(
        netns,
        ['sh', '-c', ZERO_CONFIG_ON_8169],
        cleanEnv({ NODE: process.execPath, GUISE: GUISE_CLI }),
        60_000,
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const identity = JSON.parse(run.stdout) as { Arn: string };
      expect(identity.Arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/guise-demo\//);
    }, 70_000);
  },
);
