// The CLI's only way to print: results to stdout, diagnostics to stderr.
export function out(lines: string | string[]): void {
  process.stdout.write((Array.isArray(lines) ? lines.join('\n') : lines) + '\n');
}

export function err(lines: string | string[]): void {
  process.stderr.write((Array.isArray(lines) ? lines.join('\n') : lines) + '\n');
}

export function json(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export type Format = 'text' | 'json';

/** A mistake in what the user asked for, as opposed to a fault in data or code: exit 1, no stack. */
export class UsageError extends Error {}

/** Exit statuses every command shares; cron and monitoring rely on them. */
export const EXIT = {
  ok: 0,
  /** The command could not do its job: bad arguments, catalog, warehouse, key. */
  failed: 1,
  /** It ran and found something: rejected rows, a broken audit chain. */
  finding: 2,
  /** Another run holds a unit this one needs; try again when it is done. */
  locked: 4,
} as const;
