import { listResponse, type LogicalResponse } from '../../logical.js';

/**
 * The LIST answer of a key/value store for `directory` ('' for the top): the direct children
 * among `keys`, folders with a trailing `/`.
 */
export function listAnswer(keys: Iterable<string>, directory: string): LogicalResponse {
  const prefix = directory === '' ? '' : `${directory}/`;
  const children = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    children.add(slash < 0 ? rest : rest.slice(0, slash + 1));
  }
  return listResponse([...children].filter(Boolean));
}
