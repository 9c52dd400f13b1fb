/** A value of the flat JSON documents IMDS serves. */
export type AwsJsonValue = string | number | null | readonly string[];

/**
 * JSON the way IMDS prints it (Jackson's default pretty printer): two-space indent, `"key" : value`
 * with a space on each side of the colon, arrays inline as `[ "a", "b" ]`, no trailing newline
 * (reference/aws-imds.md §1.9, §1.10). Key order is the caller's insertion order, because clients
 * and people diff these documents against real captures.
 */
export function awsPrettyJson(document: Readonly<Record<string, AwsJsonValue>>): string {
  const lines = Object.entries(document).map(
    ([key, value]) => `  ${JSON.stringify(key)} : ${renderValue(value)}`,
  );
  return `{\n${lines.join(',\n')}\n}`;
}

function renderValue(value: AwsJsonValue): string {
  if (Array.isArray(value)) return `[ ${value.map((item) => JSON.stringify(item)).join(', ')} ]`;
  return JSON.stringify(value);
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, whole seconds rounded down. botocore parses IMDS timestamps with
 * `strptime("%Y-%m-%dT%H:%M:%SZ")` and silently skips its expiry logic on fractional seconds
 * (reference/aws-imds.md §0.4, §3.2); rounding down never claims a later expiry than the real one.
 */
export function awsTimestamp(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
