/** Raw HTTP against a fake Vault, for asserting wire details that clients hide. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; undefined when empty. */
  readonly json: unknown;
}

export async function vaultFetch(
  baseUrl: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers['X-Vault-Token'] = init.token;
  const response = await fetch(`${baseUrl}/v1/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body !== undefined && {
      body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    }),
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** The `data` of a JSON answer, asserted to be an object. */
export function dataOf(answer: RawAnswer): Record<string, unknown> {
  const data = (answer.json as { data?: unknown } | undefined)?.data;
  if (typeof data !== 'object' || data === null)
    throw new Error(`no data in ${answer.status} ${answer.text}`);
  return data as Record<string, unknown>;
}
