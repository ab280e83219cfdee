// Database values as the text a SourceRow carries. Both drivers are asked for the server's own text
// (never a JS Date or number, which would shift zones or drop digits); only the shape of date-times
// and of binary values is made the same across PostgreSQL and MySQL/MariaDB.

/**
 * `2024-01-02 03:04:05.500+08` → `2024-01-02T03:04:05.5+08:00` (ISO 8601). Values without an
 * offset (timestamp, DATETIME) stay in the zone the unit's server shows them in. MariaDB pads the
 * fraction to the column's precision where PostgreSQL trims it: trimmed, one instant has one text.
 */
export function isoDateTime(text: string): string {
  return text
    .replace(/^(\d{4,}-\d{2}-\d{2}) (?=\d{2}:)/, '$1T')
    .replace(/(T\d{2}:\d{2}:\d{2})(\.\d*?)0+(?=$|[+-])/, (_, time: string, fraction: string) =>
      fraction === '.' ? time : time + fraction,
    )
    .replace(/(T\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2})$/, '$1:00');
}

/** Binary values as PostgreSQL shows bytea: `\x` and lower-case hex. */
export function hexText(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes).toString('hex')}`;
}
