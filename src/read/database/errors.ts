// A database source that cannot be read fails alone, with a message that says which source, where
// it lives and what went wrong — and never the password that the pipeline's URL carries.
import type { DatabaseSourceSpec } from './spec.js';

/** What the pull was doing when it failed. */
export type DatabaseSourceStage = 'spec' | 'connect' | 'read-only' | 'columns' | 'pull';

export class DatabaseSourceError extends Error {
  constructor(
    readonly sourceId: string,
    /** The source URL with its password replaced by `***`. */
    readonly location: string,
    readonly stage: DatabaseSourceStage,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`database source ${sourceId} (${location}): ${detail}`, options);
    this.name = 'DatabaseSourceError';
  }
}

/** The failure of `spec` at `stage`, with the driver's own words for `cause` after the detail. */
export function sourceFailure(
  spec: DatabaseSourceSpec,
  stage: DatabaseSourceStage,
  detail: string,
  cause?: unknown,
): DatabaseSourceError {
  const because = cause === undefined ? '' : `: ${causeText(cause, spec.url)}`;
  return new DatabaseSourceError(spec.id, redactUrl(spec.url), stage, detail + because, { cause });
}

/** `postgres://etl:s3cret@db:5432/credit` → `postgres://etl:***@db:5432/credit`. */
function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'an unparseable URL';
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * The driver's own words for a failure, with the URL and password scrubbed out in case a driver
 * echoes them; the error code when there are no words (Node's failed dual-stack connect).
 */
export function causeText(cause: unknown, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // an unparseable URL has no password part to scrub
  }
  let text = rawText(cause).split(url).join(redactUrl(url));
  // Very short passwords are left alone: scrubbing them would mangle ordinary words.
  if (password.length >= 4) text = text.split(password).join('***');
  return text;
}

function rawText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return cause.message || (typeof code === 'string' ? code : cause.name);
}
