import type { VaultResponse } from '@guise/core';
import { VaultRequestError } from '@guise/core';

/**
 * What an operator does with `vault write` / `vault read` and a privileged token, over plain
 * HTTP: `guise dev` seeds its Vault through the public API, exactly as someone would set up a real
 * one, so the fake is exercised the way a real Vault is and the steps double as documentation.
 */
export class VaultOperator {
  constructor(
    private readonly address: string,
    private readonly token: string,
  ) {}

  read<D>(path: string): Promise<VaultResponse<D> | undefined> {
    return this.request<D>('GET', path);
  }

  /** `wrapTtl` asks Vault to response-wrap the answer (`X-Vault-Wrap-TTL`, e.g. `5m`). */
  write<D>(
    path: string,
    body: Record<string, unknown> = {},
    wrapTtl?: string,
  ): Promise<VaultResponse<D> | undefined> {
    return this.request<D>('POST', path, body, wrapTtl);
  }

  private async request<D>(
    method: 'GET' | 'POST',
    path: string,
    body?: Record<string, unknown>,
    wrapTtl?: string,
  ): Promise<VaultResponse<D> | undefined> {
    const headers: Record<string, string> = { 'X-Vault-Token': this.token };
    if (body) headers['Content-Type'] = 'application/json';
    if (wrapTtl) headers['X-Vault-Wrap-TTL'] = wrapTtl;
    const response = await fetch(new URL(`/v1/${path}`, this.address), {
      method,
      headers,
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new VaultRequestError(response.status, parseErrors(text), path);
    }
    // 204 (and an empty 200) carry no envelope: configuration writes usually answer that way.
    return text === '' ? undefined : (JSON.parse(text) as VaultResponse<D>);
  }
}

function parseErrors(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? parsed.errors.map(String) : [text];
  } catch {
    return [text];
  }
}
