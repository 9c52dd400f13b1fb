import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeVault,
  installLoopbackGuard,
  LoopbackGuardError,
  startFakeVault,
} from '../src/index.js';

// test/setup.ts has installed the guard for this file, as every package's vitest setup should.

describe('installLoopbackGuard', () => {
  let vault: FakeVault;
  beforeAll(async () => {
    vault = await startFakeVault();
  });
  afterAll(() => vault.stop());

  const refusal = (action: () => unknown): LoopbackGuardError => {
    try {
      action();
    } catch (error) {
      if (error instanceof LoopbackGuardError) return error;
      throw error;
    }
    throw new Error('expected the loopback guard to refuse');
  };

  it('throws synchronously on TCP connects to metadata and other non-loopback addresses', () => {
    const imds = refusal(() => net.connect({ host: '169.254.169.254', port: 80 }));
    expect(imds.code).toBe('ERR_LOOPBACK_GUARD');
    expect(imds.message).toMatch(
      /^loopback guard: refused a connection to 169\.254\.169\.254:80\./,
    );
    expect(refusal(() => new net.Socket().connect(80, 'fd00:ec2::254')).message).toContain(
      '[fd00:ec2::254]:80',
    );
    expect(refusal(() => net.connect(80, 'metadata.google.internal')).message).toContain(
      'metadata.google.internal:80',
    );
    expect(refusal(() => net.createConnection({ host: '10.0.0.1', port: 443 })).message).toContain(
      '10.0.0.1:443',
    );
  });

  it('covers http.request, fetch and the AWS SDK’s default endpoint', async () => {
    expect(refusal(() => http.get('http://169.254.169.254/latest/meta-data/')).message).toContain(
      '169.254.169.254:80',
    );
    const fetchError = await fetch('http://169.254.169.254/latest/api/token', {
      method: 'PUT',
    }).catch((error: unknown) => error);
    expect((fetchError as Error & { cause?: unknown }).cause).toBeInstanceOf(LoopbackGuardError);
    // No endpoint configured: the SDK aims at sts.us-east-1.amazonaws.com and is stopped.
    const sdk = new STSClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAX', secretAccessKey: 'x' },
    });
    await expect(sdk.send(new GetCallerIdentityCommand({}))).rejects.toThrow(
      /^loopback guard: refused a connection to sts\.us-east-1\.amazonaws\.com:443\./,
    );
  });

  it('refuses UDP sends and DNS lookups of non-local names', async () => {
    const socket = dgram.createSocket('udp4');
    try {
      expect(refusal(() => socket.send('x', 53, '8.8.8.8')).message).toContain(
        'a UDP send to 8.8.8.8',
      );
    } finally {
      socket.close();
    }
    expect(refusal(() => dns.lookup('example.com', () => undefined)).message).toContain(
      'a DNS lookup to example.com',
    );
    await expect(dns.promises.lookup('example.com')).rejects.toBeInstanceOf(LoopbackGuardError);
    expect((await dns.promises.lookup('127.0.0.1')).address).toBe('127.0.0.1');
  });

  it('lets loopback traffic through, by address and as localhost', async () => {
    expect((await fetch(`${vault.url}/v1/sys/health`)).status).toBe(200);
    const port = new URL(vault.url).port;
    expect((await fetch(`http://localhost:${port}/v1/sys/health`)).status).toBe(200);
    const health = await nodeVault({ endpoint: vault.url }).health();
    expect(health.initialized).toBe(true);
  });

  it('lets an explicitly allowed host through, and is idempotent', async () => {
    const patched = net.Socket.prototype.connect;
    // A host name that never reaches DNS: the connect resolves it itself, to loopback.
    const connectAlias = () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect({
          host: 'vault.test',
          port: Number(new URL(vault.url).port),
          // Node 20 asks for all addresses (autoSelectFamily).
          lookup: ((
            _host: string,
            options: dns.LookupOptions,
            callback: (...result: unknown[]) => void,
          ) =>
            options.all
              ? callback(null, [{ address: '127.0.0.1', family: 4 }])
              : callback(null, '127.0.0.1', 4)) as net.LookupFunction,
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
    expect(() => net.connect({ host: 'vault.test', port: 1 })).toThrow(LoopbackGuardError);
    installLoopbackGuard({ allowHosts: ['vault.test'] });
    try {
      await connectAlias();
    } finally {
      installLoopbackGuard();
    }
    expect(net.Socket.prototype.connect).toBe(patched);
    expect(() => net.connect({ host: 'vault.test', port: 1 })).toThrow(LoopbackGuardError);
  });
});
