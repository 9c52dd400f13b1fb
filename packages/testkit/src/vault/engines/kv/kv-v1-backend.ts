import { notFound } from '../../errors.js';
import type { Backend } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';
import { listAnswer } from './list-answer.js';

/** KV version 1: the request body is the secret; reads answer it as `data`. */
export function kvV1Backend(): Backend {
  const secrets = new Map<string, Readonly<Record<string, unknown>>>();
  return {
    routes: [
      route('*path', {
        read: (context) => {
          const secret = secrets.get(context.params['path'] ?? '');
          if (!secret) throw notFound();
          return { data: secret };
        },
        list: (context) => listAnswer(secrets.keys(), context.params['path'] ?? ''),
        write: (context) => {
          secrets.set(context.params['path'] ?? '', { ...context.request.data });
          return undefined;
        },
        delete: (context) => {
          secrets.delete(context.params['path'] ?? '');
          return undefined;
        },
      }),
    ],
  };
}
