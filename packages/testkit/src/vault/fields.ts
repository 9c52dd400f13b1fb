import { parseDurationSeconds } from '../util/go-duration.js';
import { badRequest } from './errors.js';

/**
 * Request fields decoded the way sdk/framework's FieldData does (weakly typed: JSON numbers,
 * numeric strings and duration strings are all accepted where Vault accepts them). A value that
 * does not convert is Vault's 400 `error converting input <v> for field "<name>"`.
 */
export type Fields = Readonly<Record<string, unknown>>;

/** `d.GetOk`: whether the client sent the field at all. */
export function has(data: Fields, name: string): boolean {
  return data[name] !== undefined && data[name] !== null;
}

export function readString(data: Fields, name: string, fallback = ''): string {
  const value = data[name];
  if (!has(data, name)) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw conversionError(name, value, 'expected a string');
}

export function readInt(data: Fields, name: string, fallback = 0): number {
  const value = data[name];
  if (!has(data, name)) return fallback;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw conversionError(name, value, 'expected an integer');
}

/** Go's `strconv.ParseBool`: undefined when `text` is none of its spellings. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export function readBool(data: Fields, name: string, fallback: boolean): boolean {
  const value = data[name];
  if (!has(data, name)) return fallback;
  if (typeof value === 'boolean') return value;
  const parsed = parseGoBool(String(value));
  if (parsed === undefined) throw conversionError(name, value, 'expected a boolean');
  return parsed;
}

/** TypeDurationSecond: seconds as a number, a digit string or a Go duration string. */
export function readDuration(data: Fields, name: string, fallback = 0): number {
  const value = data[name];
  if (!has(data, name)) return fallback;
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined)
    throw conversionError(name, value, `time: invalid duration ${JSON.stringify(value)}`);
  return seconds;
}

/** TypeCommaStringSlice: a list, or one comma-separated string. */
export function readStringList(data: Fields, name: string): string[] {
  const value = data[name];
  if (!has(data, name)) return [];
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => String(item).trim()).filter(Boolean);
}

/** TypeKVPairs / TypeMap of strings: an object, or a list of `key=value`. */
export function readStringMap(data: Fields, name: string): Record<string, string> {
  const value = data[name];
  if (!has(data, name)) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((pair) => {
        const [key = '', ...rest] = String(pair).split('=');
        return [key.trim(), rest.join('=').trim()];
      }),
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as object).map(([key, item]) => [key, String(item)]),
    );
  }
  throw conversionError(name, value, 'expected a map');
}

function conversionError(name: string, value: unknown, reason: string): Error {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return badRequest(`error converting input ${shown} for field ${JSON.stringify(name)}: ${reason}`);
}
