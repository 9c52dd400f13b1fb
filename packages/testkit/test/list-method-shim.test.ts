import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeVault, startFakeVault } from '../src/index.js';
import { dataOf, vaultFetch } from './support/vault-http.js';

/** Sends raw, pipelined HTTP/1.1 on one connection and returns everything the server wrote. */
function exchange(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(raw);
  });
}

describe('the LIST verb on a keep-alive connection', () => {
  let vault: FakeVault;
  beforeEach(async () => {
    vault = await startFakeVault();
  });
  afterEach(() => vault.stop());

  it('is served as LIST between chunked and sized bodies that contain the word LIST', async () => {
    const token = vault.rootToken;
    const chunked = JSON.stringify({ data: { note: 'LIST /v1/secret/metadata HTTP/1.1' } });
    const sized = JSON.stringify({ data: { note: '\r\n\r\nLIST x' } });
    const raw =
      `POST /v1/secret/data/one HTTP/1.1\r\nHost: v\r\nX-Vault-Token: ${token}\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${Buffer.byteLength(chunked).toString(16)}\r\n${chunked}\r\n0\r\n\r\n` +
      `LIST /v1/secret/metadata HTTP/1.1\r\nHost: v\r\nX-Vault-Token: ${token}\r\n\r\n` +
      `POST /v1/secret/data/two HTTP/1.1\r\nHost: v\r\nX-Vault-Token: ${token}\r\nContent-Length: ${Buffer.byteLength(sized)}\r\n\r\n${sized}` +
      `LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: v\r\nX-Vault-Token: ${token}\r\nConnection: close\r\n\r\n`;
    const answer = await exchange(vault.url, raw);
    const statuses = [...answer.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(answer).toContain('"data":{"keys":["one"]}');
    expect(answer).toContain('"data":{"keys":["one","two"]}');
    expect(vault.requests.map((request) => request.method)).toEqual([
      'POST',
      'LIST',
      'POST',
      'LIST',
    ]);
    expect(dataOf(await vaultFetch(vault.url, 'secret/data/one', { token }))['data']).toEqual({
      note: 'LIST /v1/secret/metadata HTTP/1.1',
    });
    expect(dataOf(await vaultFetch(vault.url, 'secret/data/two', { token }))['data']).toEqual({
      note: '\r\n\r\nLIST x',
    });
  });
});
