import type { SeededVault } from '../support/seeded-agent.js';

/**
 * Every secret the seeded backends issued in a run: the secret_id the agent logged in with,
 * Vault's root, login and wrapping tokens and every secret its answers carried, the AWS
 * account's secret keys and session tokens, the GCP project's private keys, access and ID
 * tokens, the Azure tenant's client secrets and access tokens.
 */
export function issuedSecrets(seeded: SeededVault): string[] {
  const { vault } = seeded;
  return [
    seeded.secretId,
    ...vault.issuedSecrets(),
    ...vault.aws.issuedSecrets(),
    ...vault.gcp.issuedSecrets(),
    ...vault.azure.issuedSecrets(),
  ];
}

/**
 * The secrets (of `secrets`) that occur anywhere in `texts`. A multi-line secret (a PEM key) is
 * looked for line by line: a JSON log line would carry it with its newlines escaped.
 */
export function leakedSecrets(texts: readonly string[], secrets: readonly string[]): string[] {
  const everything = texts.join('\n');
  return secrets.filter((secret) =>
    needlesOf(secret).some((needle) => everything.includes(needle)),
  );
}

function needlesOf(secret: string): string[] {
  if (!secret.includes('\n')) return [secret];
  return secret.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
