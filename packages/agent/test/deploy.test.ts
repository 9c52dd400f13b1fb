import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUISE_CLI } from './support/guise-process.js';

const DEPLOY = fileURLToPath(new URL('../../../deploy/systemd/', import.meta.url));
const UNITS = ['guise.service', 'guise-net.service', 'guise.service.d/network.conf'];
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/**
 * `systemd-analyze verify` on the shipped units, with /usr/bin/guise replaced by the built CLI
 * (verify insists that every Exec= command exists) and the unit path pointed at a scratch copy so
 * the drop-in is read too. Any warning fails the check: systemd only warns about unknown keys.
 */
describe.skipIf(!hasAnalyze)(
  'deploy/systemd units (systemd-analyze verify; skipped without systemd)',
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'guise-units-'));
      await mkdir(path.join(dir, 'guise.service.d'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    async function copyUnits(edit: (text: string) => string = (t) => t): Promise<void> {
      for (const unit of UNITS) {
        const text = await readFile(path.join(DEPLOY, unit), 'utf8');
        await writeFile(path.join(dir, unit), edit(text.replaceAll('/usr/bin/guise', GUISE_CLI)));
      }
    }

    function verify() {
      return spawnSync('systemd-analyze', ['verify', 'guise.service', 'guise-net.service'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` },
      });
    }

    it('verifies without a warning', async () => {
      await copyUnits();
      const result = verify();
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('would report a misspelt directive (the check can fail)', async () => {
      await copyUnits((text) => text.replace('ProtectSystem=strict', 'ProtectSytem=strict'));
      const result = verify();
      expect(result.stderr).toContain("Unknown key 'ProtectSytem'");
    });

    it('grants only the capabilities each step needs, to a dedicated user', async () => {
      const agent = await readFile(path.join(DEPLOY, 'guise.service'), 'utf8');
      const net = await readFile(path.join(DEPLOY, 'guise-net.service'), 'utf8');
      expect(agent).toMatch(/^User=guise$/m);
      expect(agent).toMatch(/^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m);
      expect(agent).toMatch(/^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
      expect(net).toMatch(/^CapabilityBoundingSet=CAP_NET_ADMIN$/m);
      expect(agent).toMatch(/^ExecStartPost=\/usr\/bin\/guise ready /m);
    });
  },
);
