/**
 * JSON exactly as Go's `encoding/json` Encoder writes Vault's responses: map keys sorted byte-wise
 * (Vault's `data` is a `map[string]interface{}`), struct fields in declaration order (use
 * {@link GoStruct}), `<`, `>`, `&`, U+2028 and U+2029 escaped (the Encoder's default HTML
 * escaping), and a trailing newline (`Encoder.Encode` appends one).
 */

/** A Go struct: its fields are written in the given order, never sorted. */
export class GoStruct {
  constructor(readonly fields: ReadonlyArray<readonly [string, unknown]>) {}
}

export function encodeGoJson(value: unknown): string {
  return `${encode(value)}\n`;
}

function encode(value: unknown): string {
  if (value instanceof GoStruct) return encodeFields(value.fields);
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined);
    // Go sorts map keys by their bytes; a plain JS sort of strings compares UTF-16 units, which
    // agrees for the ASCII keys Vault uses (and JS's own object order would put "10" before "2").
    return encodeFields(keys.sort().map((key) => [key, record[key]] as const));
  }
  return encodeScalar(value);
}

function encodeFields(fields: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${fields.map(([key, field]) => `${encodeScalar(key)}:${encode(field)}`).join(',')}}`;
}

function encodeScalar(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
