import type { z } from 'zod';

/** How each expected type reads to someone editing YAML. */
const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/**
 * The per-parse zod error map of the config loader: says what was expected in the words a YAML
 * author uses ("expected a list, got a string"). Messages set on a schema itself (unknown keys,
 * durations, custom checks) take precedence over this map.
 */
export const explainIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' ? 'expected at least one entry' : 'must not be empty';
    case 'invalid_format':
      return `expected ${issue.format === 'mac' ? 'a MAC address (aa:bb:cc:dd:ee:ff)' : `a valid ${issue.format}`}`;
    default:
      return undefined;
  }
};

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
