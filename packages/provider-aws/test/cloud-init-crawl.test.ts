import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from './support.js';
import { FACTS, ROLE, request, startImds } from './support.js';

/**
 * cloud-init's EC2 crawl as it runs on a non-AWS VM (reference/aws-imds.md §3.3; cloud-init
 * `sources/helpers/ec2.py` MetadataMaterializer): IMDSv1, no token, wait for
 * `<version>/meta-data/instance-id`, then user-data (404 allowed), then `meta-data/` walked
 * recursively — lines ending in `/` are directories fetched with a trailing slash, `N=name` lines
 * become `N/openssh-key`, everything else is a leaf — and `dynamic/instance-identity/` the same
 * way. Any status other than 200 fails the whole datasource, so the crawler throws on it.
 */
class CloudInitCrawler {
  readonly fetched: string[] = [];

  constructor(private readonly port: number) {}

  async run(version: string): Promise<Record<string, unknown>> {
    await this.fetch(`/${version}/meta-data/instance-id`);
    const userData = await request(this.port, 'GET', `/${version}/user-data`);
    if (userData.status !== 200 && userData.status !== 404)
      throw new Error(`user-data: ${userData.status}`);
    return {
      'meta-data': await this.materialize(`/${version}/meta-data/`),
      dynamic: await this.materialize(`/${version}/dynamic/instance-identity/`),
    };
  }

  private async materialize(url: string): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const raw of (await this.fetch(url)).split('\n')) {
      const field = raw.trim();
      const name = field.replace(/\/+$/, '');
      if (!field || !name) continue;
      if (field.endsWith('/')) {
        result[name] = await this.materialize(`${url}${name}/`);
        continue;
      }
      const keyed = /^(\d+)=(.*)$/.exec(field);
      const [key, resource] = keyed ? [keyed[2] ?? '', `${keyed[1]}/openssh-key`] : [name, name];
      result[key] = decodeLeaf(await this.fetch(`${url}${resource}`));
    }
    return result;
  }

  private async fetch(path: string): Promise<string> {
    const res = await request(this.port, 'GET', path);
    this.fetched.push(path);
    if (res.status !== 200) throw new Error(`crawl aborted: GET ${path} answered ${res.status}`);
    return res.text;
  }
}

/** cloud-init's MetadataLeafDecoder: `{…}` is JSON, multi-line text a list. */
function decodeLeaf(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) return JSON.parse(trimmed);
  return text.includes('\n') ? text.split(/\r?\n/) : text;
}

let imds: Harness | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

describe('cloud-init EC2 crawl over IMDSv1', () => {
  it.each(['latest', '2009-04-04', '2021-03-23'])(
    'every path listed under %s answers 200',
    async (version) => {
      imds = await startImds({
        tokens: 'optional',
        instance: {
          exposeTags: true,
          publicIpv4: '203.0.113.7',
          publicHostname: 'ec2-203-0-113-7.compute-1.amazonaws.com',
          userData: '#cloud-config\n{}\n',
        },
      });
      const crawler = new CloudInitCrawler(imds.port);
      const md = (await crawler.run(version)) as {
        'meta-data': Record<string, unknown> & {
          iam: {
            'security-credentials': Record<string, { AccessKeyId: string }>;
            info: { Code: string };
          };
          placement: Record<string, string>;
          tags: { instance: Record<string, string> };
          network: { interfaces: { macs: Record<string, Record<string, unknown>> } };
        };
        dynamic: { document: { instanceId: string; region: string; availabilityZone: string } };
      };
      const meta = md['meta-data'];
      expect(meta['instance-id']).toMatch(/^i-[0-9a-f]{17}$/);
      expect(meta['local-ipv4']).toBe(FACTS.ipv4);
      expect(meta.iam['security-credentials'][ROLE]?.AccessKeyId).toBe('ASIAIOSFODNN7EXAMPLE');
      expect(meta.iam.info.Code).toBe('Success');
      expect(meta.placement['availability-zone']).toBe('us-east-1a');
      expect(meta.tags.instance).toEqual({ env: 'ci', team: 'platform' });
      expect(meta.network.interfaces.macs[FACTS.mac]?.['ipv4-associations']).toEqual({
        '203.0.113.7': FACTS.ipv4,
      });
      expect(md.dynamic.document.instanceId).toBe(meta['instance-id']);
      // On AWS cloud-init takes the region from the document; elsewhere from the zone minus a letter.
      expect(md.dynamic.document.region).toBe(md.dynamic.document.availabilityZone.slice(0, -1));
      expect(crawler.fetched.length).toBeGreaterThan(40);
      expect(crawler.fetched.every((path) => path.startsWith(`/${version}/`))).toBe(true);
      expect(imds.seen.some((r) => r.method === 'PUT' || r.token)).toBe(false);
    },
  );
});
