import { generate } from 'selfsigned';

/** A CA made for one test run and a server certificate it signed for the loopback names. */
export interface LoopbackTls {
  /** Trust this (Node `tlsOptions.ca` / `NODE_EXTRA_CA_CERTS`, Python `REQUESTS_CA_BUNDLE`). */
  readonly caPem: string;
  /** The server certificate followed by the CA, as a server sends its chain. */
  readonly certChainPem: string;
  readonly keyPem: string;
}

/**
 * Generates, in-process, a throwaway CA and a server certificate for `localhost`, `127.0.0.1` and
 * `::1`. The fake Entra must be HTTPS because MSAL refuses an `http:` authority
 * (reference/azure-imds.md §0.12); a CA rather than one self-signed leaf keeps the trust setup
 * the same as with a corporate CA, which Python's OpenSSL and Node both accept as an anchor.
 */
export async function generateLoopbackTls(): Promise<LoopbackTls> {
  const notBeforeDate = new Date(Date.now() - 3_600_000);
  const notAfterDate = new Date(Date.now() + 7 * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: 'guise testkit CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return {
    caPem: ca.cert,
    certChainPem: `${server.cert.trim()}\n${ca.cert}`,
    keyPem: server.private,
  };
}
