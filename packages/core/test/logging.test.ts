import { describe, expect, it } from 'vitest';
import { JsonLogger, REDACTED, redact } from '../src/index.js';
import type { LogLevel } from '../src/index.js';

describe('redaction', () => {
  it('redacts secret-named fields in every spelling, at any depth', () => {
    const out = redact({
      role: 'app',
      secret_id: 's3cr3t',
      nested: {
        client_token: 'hvs.abc',
        SecretAccessKey: 'wJalr',
        'X-Vault-Token': 'hvs.x',
        list: [{ sessionToken: 't' }],
      },
      accessor: 'not-a-secret',
    });
    expect(out).toEqual({
      role: 'app',
      secret_id: REDACTED,
      nested: {
        client_token: REDACTED,
        SecretAccessKey: REDACTED,
        'X-Vault-Token': REDACTED,
        list: [{ sessionToken: REDACTED }],
      },
      accessor: 'not-a-secret',
    });
  });

  it('writes one JSON line per entry with bound fields, redacted, honouring the level', () => {
    const lines: string[] = [];
    const log = new JsonLogger({
      level: 'info',
      write: (l) => lines.push(l),
      now: () => Date.UTC(2026, 11, 3),
    }).child({ component: 'vault' });
    log.debug('hidden');
    log.info('vault login succeeded', { accessor: 'acc1', client_token: 'hvs.secret' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-12-03T00:00:00.000Z',
      level: 'info',
      msg: 'vault login succeeded',
      component: 'vault',
      accessor: 'acc1',
      client_token: REDACTED,
    });
    expect(lines[0]).not.toContain('hvs.secret');
  });

  it('says which levels it writes, so hot paths can skip lines that would be dropped', () => {
    const log = new JsonLogger({ level: 'info', write: () => undefined }).child({ c: 'x' });
    expect(
      ['debug', 'info', 'warn', 'error'].map((l) => log.isLevelEnabled?.(l as LogLevel)),
    ).toEqual([false, true, true, true]);
  });
});
