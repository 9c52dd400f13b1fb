import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostFactSource, collectFacts, staticFacts } from '../src/index.js';

describe('facts', () => {
  it('derives host facts, reading the machine id from the first readable file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'guise-facts-'));
    await writeFile(path.join(dir, 'machine-id'), '0123456789ABCDEF0123456789abcdef\n');
    const facts = await new HostFactSource([
      path.join(dir, 'missing'),
      path.join(dir, 'machine-id'),
    ]).read();
    expect(facts.machineId).toBe('0123456789abcdef0123456789abcdef');
    expect(facts.fqdn).toBe(os.hostname());
    expect(facts.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('falls back to a host-name-derived id when no machine id exists', async () => {
    const facts = await new HostFactSource(['/nonexistent/machine-id']).read();
    expect(facts.machineId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('merges sources in order, later ones winning key by key, tags merged', async () => {
    const facts = await collectFacts([
      staticFacts('host', { hostname: 'vm1', ipv4: '10.0.0.5', tags: { a: '1', b: '2' } }),
      staticFacts('config', { hostname: 'web-1', tags: { b: 'two' }, ipv4: undefined }),
    ]);
    expect(facts).toMatchObject({
      hostname: 'web-1',
      ipv4: '10.0.0.5',
      tags: { a: '1', b: 'two' },
      mac: '00:00:00:00:00:00',
    });
  });
});
