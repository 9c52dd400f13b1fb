import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '@guise/core';
import { ManualClock } from '@guise/core';
import type { Harness, HarnessOptions } from './support.js';
import { FACTS, ROLE, countingSource, request, startImds } from './support.js';

let imds: Harness | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

async function start(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  imds = await startImds({ tokens: 'optional', ...options });
  return imds;
}

async function get(path: string, headers: Record<string, string> = {}) {
  if (!imds) throw new Error('start() first');
  return request(imds.port, 'GET', path, headers);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const INSTANCE_ID = `i-${sha256(FACTS.machineId).slice(0, 17)}`;

/** The version list of reference/aws-imds.md §1.8, verbatim. */
const VERSION_LIST =
  '1.0 2007-01-19 2007-03-01 2007-08-29 2007-10-10 2007-12-15 2008-02-01 2008-09-01 2009-04-04 ' +
  '2011-01-01 2011-05-01 2012-01-12 2014-02-25 2014-11-05 2015-10-20 2016-04-19 2016-06-30 2016-09-02 ' +
  '2018-03-28 2018-08-17 2018-09-24 2019-10-01 2020-10-27 2021-01-03 2021-03-23 latest';

const NOT_FOUND = `<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>404 - Not Found</title>
 </head>
 <body>
  <h1>404 - Not Found</h1>
 </body>
</html>`;

describe('versions and listings (§1.7, §1.8)', () => {
  it('GET / lists every version, one per line, no trailing newline', async () => {
    await start();
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe(VERSION_LIST.split(' ').join('\n'));
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['server']).toBe('EC2ws');
  });

  it('GET /latest/ lists dynamic and meta-data, and user-data only when there is user data', async () => {
    await start();
    expect((await get('/latest/')).text).toBe('dynamic\nmeta-data');
    expect((await get('/latest')).text).toBe('dynamic\nmeta-data');
    expect((await get('/latest/user-data')).status).toBe(404);
    await imds?.close();
    await start({ instance: { userData: '#!/bin/sh\necho hi\n' } });
    expect((await get('/latest/')).text).toBe('dynamic\nmeta-data\nuser-data');
  });

  it('serves user-data as application/octet-stream, with or without a trailing slash', async () => {
    await start({ instance: { userData: Buffer.from([0x1f, 0x8b, 0x00, 0xff]) } });
    for (const path of ['/latest/user-data', '/latest/user-data/', '/2009-04-04/user-data']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect([...res.body]).toEqual([0x1f, 0x8b, 0x00, 0xff]);
    }
  });

  it('lists meta-data sorted, sub-directories with a trailing slash, no trailing newline', async () => {
    await start();
    const res = await get('/latest/meta-data/');
    expect(res.text).toBe(
      [
        'ami-id',
        'ami-launch-index',
        'ami-manifest-path',
        'block-device-mapping/',
        'hostname',
        'iam/',
        'instance-action',
        'instance-id',
        'instance-life-cycle',
        'instance-type',
        'local-hostname',
        'local-ipv4',
        'mac',
        'network/',
        'placement/',
        'profile',
        'reservation-id',
        'security-groups',
        'services/',
      ].join('\n'),
    );
    expect((await get('/latest/meta-data')).text).toBe(res.text);
  });

  it('shows public-hostname and public-ipv4 only when configured', async () => {
    await start({
      instance: { publicIpv4: '203.0.113.7', publicHostname: 'ec2-203-0-113-7.example' },
    });
    const listing = (await get('/latest/meta-data/')).text.split('\n');
    expect(listing).toContain('public-ipv4');
    expect(listing).toContain('public-hostname');
    expect((await get('/latest/meta-data/public-ipv4')).text).toBe('203.0.113.7');
    const nic = `/latest/meta-data/network/interfaces/macs/${FACTS.mac}/`;
    expect((await get(`${nic}ipv4-associations/203.0.113.7`)).text).toBe(FACTS.ipv4);
    expect((await get(`${nic}public-ipv4s`)).text).toBe('203.0.113.7');
  });

  it('tolerates doubled and trailing slashes as ec2-metadata and botocore send them', async () => {
    await start();
    const reservation = await get('/latest//meta-data/reservation-id');
    expect(reservation.status).toBe(200);
    expect(reservation.text).toMatch(/^r-[0-9a-f]{17}$/);
    expect((await get('/latest/meta-data/placement/availability-zone/')).text).toBe('us-east-1a');
    expect((await get('//latest//meta-data//instance-id//')).text).toBe(INSTANCE_ID);
  });

  it('answers unknown paths with the EC2 404 page', async () => {
    await start();
    for (const path of [
      '/latest//meta-data/ramdisk-id',
      '/latest/meta-data/nope',
      '/latest/meta-data/instance-id/extra',
      '/latest/meta-data/../user-data',
      '/latest/meta-data/%E0%A4%A',
      '/2030-01-01/meta-data/',
      '/latest/api/',
    ]) {
      const res = await get(path);
      expect([
        path,
        res.status,
        res.text,
        res.headers['content-type'],
        res.headers['server'],
      ]).toEqual([path, 404, NOT_FOUND, 'text/html', 'EC2ws']);
    }
  });

  it('answers 405 with Allow: GET, HEAD to other methods on metadata paths', async () => {
    const { port } = await start();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await request(port, method, '/latest/meta-data/');
      expect([method, res.status, res.headers['allow'], res.text, res.headers['server']]).toEqual([
        method,
        405,
        'GET, HEAD',
        '',
        'EC2ws',
      ]);
    }
  });

  it('refuses X-Forwarded-For on GET with 403 and an empty body (kube2iam PR #279)', async () => {
    await start();
    const res = await get('/latest/meta-data/iam/security-credentials/', {
      'X-Forwarded-For': '192.0.2.1',
    });
    expect([res.status, res.text, res.headers['content-type'], res.headers['server']]).toEqual([
      403,
      '',
      'text/plain',
      'EC2ws',
    ]);
  });

  it('leaves paths of other dialects to the next provider', async () => {
    await start();
    const res = await get('/computeMetadata/v1/');
    expect(res.status).toBe(404);
    expect(res.headers['server']).toBeUndefined();
  });
});

describe('meta-data values', () => {
  it('derives stable identifiers and values from the facts', async () => {
    await start();
    const values = async (paths: string[]) =>
      Promise.all(paths.map(async (p) => (await get(`/latest/meta-data/${p}`)).text));
    expect(
      await values([
        'instance-id',
        'hostname',
        'local-hostname',
        'local-ipv4',
        'mac',
        'placement/region',
        'placement/availability-zone-id',
        'services/domain',
        'services/partition',
        'ami-manifest-path',
        'instance-action',
        'block-device-mapping/',
        'block-device-mapping/root',
        `network/interfaces/macs/${FACTS.mac}/owner-id`,
      ]),
    ).toEqual([
      INSTANCE_ID,
      FACTS.fqdn,
      FACTS.fqdn,
      FACTS.ipv4,
      FACTS.mac,
      'us-east-1',
      'use1-az1',
      'amazonaws.com',
      'aws',
      '(unknown)',
      'none',
      'ami\nroot',
      '/dev/xvda',
      '000000000000',
    ]);
    expect((await get('/latest/meta-data/network/interfaces/macs/')).text).toBe(`${FACTS.mac}/`);
  });

  it('renders configured placement, partition and zone ids the way AWS spells them', async () => {
    await start({ instance: { region: 'ap-southeast-2', availabilityZone: 'ap-southeast-2b' } });
    expect((await get('/latest/meta-data/placement/availability-zone-id')).text).toBe('apse2-az2');
    await imds?.close();
    await start({ instance: { region: 'cn-north-1' } });
    expect((await get('/latest/meta-data/services/partition')).text).toBe('aws-cn');
    expect((await get('/latest/meta-data/services/domain')).text).toBe('amazonaws.com.cn');
    expect((await get('/latest/meta-data/placement/availability-zone-id')).text).toBe('cnn1-az1');
  });

  it('serves tags/instance only when exposed, leaving out keys IMDS does not allow', async () => {
    await start();
    expect((await get('/latest/meta-data/tags/instance')).status).toBe(404);
    await imds?.close();
    const warnings: Array<[string, LogFields | undefined]> = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => void warnings.push([message, fields]),
      error: () => undefined,
      child: () => logger,
    };
    await start({
      logger,
      instance: {
        exposeTags: true,
        tags: {
          Name: 'build 07',
          'aws:cloudformation:stack': 's',
          ['__proto__']: 'p',
          'bad key': 'x',
          'a/b': 'y',
          _index: 'z',
        },
      },
    });
    expect((await get('/latest/meta-data/')).text.split('\n')).toContain('tags/');
    expect((await get('/latest/meta-data/tags/')).text).toBe('instance/');
    expect((await get('/latest/meta-data/tags/instance')).text).toBe(
      'Name\n__proto__\naws:cloudformation:stack',
    );
    expect((await get('/latest/meta-data/tags/instance/__proto__')).text).toBe('p');
    expect((await get('/latest/meta-data/tags/instance/Name')).text).toBe('build 07');
    expect(warnings.map(([, fields]) => fields?.['tag'])).toEqual(['bad key', 'a/b', '_index']);
  });
});

describe('instance identity (§1.9)', () => {
  it('lists only the document and prints it as EC2 does', async () => {
    await start({
      instance: {
        accountId: '123456789012',
        instanceType: 'm5.large',
        amiId: 'ami-0abcdef1234567890',
      },
    });
    expect((await get('/latest/dynamic/')).text).toBe('instance-identity/');
    expect((await get('/latest/dynamic/instance-identity/')).text).toBe('document');
    const arch = { x64: 'x86_64', arm64: 'arm64' }[process.arch as 'x64' | 'arm64'] ?? process.arch;
    const res = await get('/latest/dynamic/instance-identity/document');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe(`{
  "accountId" : "123456789012",
  "architecture" : "${arch}",
  "availabilityZone" : "us-east-1a",
  "billingProducts" : null,
  "devpayProductCodes" : null,
  "marketplaceProductCodes" : null,
  "imageId" : "ami-0abcdef1234567890",
  "instanceId" : "${INSTANCE_ID}",
  "instanceType" : "m5.large",
  "kernelId" : null,
  "pendingTime" : "2026-01-01T00:00:00Z",
  "privateIp" : "10.1.2.3",
  "ramdiskId" : null,
  "region" : "us-east-1",
  "version" : "2017-09-30"
}`);
  });
});

describe('iam (§1.10)', () => {
  it('lists the one role with no trailing newline, with or without the slash', async () => {
    await start();
    expect((await get('/latest/meta-data/iam/')).text).toBe('info\nsecurity-credentials/');
    for (const path of [
      '/latest/meta-data/iam/security-credentials/',
      '/latest/meta-data/iam/security-credentials',
    ]) {
      const res = await get(path);
      expect([res.status, res.text, res.body.length]).toEqual([200, ROLE, ROLE.length]);
    }
  });

  it('prints the credentials in EC2 key order with whole-second timestamps', async () => {
    const { clock } = await start();
    await clock.advance(1234); // issuedAt now has milliseconds, which must not show
    const res = await get(`/latest/meta-data/iam/security-credentials/${ROLE}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe(`{
  "Code" : "Success",
  "LastUpdated" : "2026-01-01T00:00:01Z",
  "Type" : "AWS-HMAC",
  "AccessKeyId" : "ASIAIOSFODNN7EXAMPLE",
  "SecretAccessKey" : "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "Token" : "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=",
  "Expiration" : "2026-01-01T01:00:01Z"
}`);
  });

  it('serves the replacement credential once the broker rotates it (bytes are rendered per credential)', async () => {
    const { clock } = await start();
    const path = `/latest/meta-data/iam/security-credentials/${ROLE}`;
    const expiration = async () =>
      (JSON.parse((await get(path)).text) as Record<string, string>)['Expiration'];
    expect(await expiration()).toBe('2026-01-01T01:00:00Z');
    expect(await expiration()).toBe('2026-01-01T01:00:00Z');
    // 1 h credentials are replaced 28-34 min after issue; 40 min later the next one is served.
    await clock.advance(40 * 60_000);
    const next = await expiration();
    expect(next).not.toBe('2026-01-01T01:00:00Z');
    expect(Date.parse(next ?? '') - clock.now()).toBeGreaterThan(20 * 60_000);
  });

  it('serves long-term keys with an empty Token', async () => {
    const clock = new ManualClock();
    await start({
      clock,
      source: countingSource(clock, { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's' }),
    });
    const json = JSON.parse(
      (await get(`/latest/meta-data/iam/security-credentials/${ROLE}`)).text,
    ) as Record<string, string>;
    expect([json['AccessKeyId'], json['Token']]).toEqual(['AKIAEXAMPLE', '']);
  });

  it('answers 404 for another role name', async () => {
    await start();
    expect((await get('/latest/meta-data/iam/security-credentials/other-role')).status).toBe(404);
  });

  it('serves iam/info with the derived instance profile', async () => {
    await start({ instance: { accountId: '123456789012' } });
    const res = await get('/latest/meta-data/iam/info');
    expect(res.text).toMatch(
      new RegExp(
        `^\\{\\n  "Code" : "Success",\\n  "LastUpdated" : "2026-01-01T00:00:00Z",\\n` +
          `  "InstanceProfileArn" : "arn:aws:iam::123456789012:instance-profile/${ROLE}",\\n` +
          `  "InstanceProfileId" : "AIPA[A-Z2-7]{17}"\\n\\}$`,
      ),
    );
  });

  it('answers 503 with an empty body when no credential can be had, and recovers', async () => {
    const clock = new ManualClock();
    const source = countingSource(clock);
    source.failWith = new Error('vault sealed');
    await start({ clock, source });
    const down = await get(`/latest/meta-data/iam/security-credentials/${ROLE}`);
    expect([down.status, down.text, down.headers['server'], down.headers['content-type']]).toEqual([
      503,
      '',
      'EC2ws',
      'text/plain',
    ]);
    // The rest of the tree does not depend on Vault.
    expect((await get('/latest/meta-data/iam/security-credentials/')).status).toBe(200);
    source.failWith = undefined;
    await clock.advance(60_000); // past the broker's backoff
    expect((await get(`/latest/meta-data/iam/security-credentials/${ROLE}`)).status).toBe(200);
  });
});

describe('start()', () => {
  it('warms the role credential so the first request is a cache hit', async () => {
    const clock = new ManualClock();
    const source = countingSource(clock);
    const { provider } = await start({ clock, source });
    await provider.start?.();
    expect(source.calls).toBe(1);
    await get(`/latest/meta-data/iam/security-credentials/${ROLE}`);
    expect(source.calls).toBe(1);
  });

  it('does not fail when Vault is down, and says so', async () => {
    const clock = new ManualClock();
    const source = countingSource(clock);
    source.failWith = new Error('connect ECONNREFUSED');
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => void warnings.push(message),
      error: () => undefined,
      child: () => logger,
    };
    const { provider } = await start({ clock, source, logger });
    await expect(provider.start?.()).resolves.toBeUndefined();
    expect(warnings).toContain('role credential not available yet; retrying in the background');
  });
});
