// How a pipeline names a live database source, and the checks made before anything connects.
import { sourceFailure } from './errors.js';

export interface DatabaseSourceSpec {
  /** Stable name, e.g. `SCJG/penalties`: the key of its stored watermark. */
  id: string;
  /** `postgres://…` (or `postgresql://`), `mysql://…` (or `mariadb://`); a read-only account. */
  url: string;
  /** A table (optionally `schema.table`); exactly one of `table` and `query`. */
  table?: string;
  /** A SELECT, pulled as a subquery; it must return the watermark column. */
  query?: string;
  /** Column whose value only grows: an update time or an increasing id. */
  watermark: string;
  /** Rows fetched from the server at a time (default 1000). */
  batchSize?: number;
}

export type Dialect = 'postgres' | 'mysql';

const DIALECTS: Readonly<Record<string, Dialect>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

export const DEFAULT_BATCH_SIZE = 1000;

/** A spec that passed its checks: the dialect its URL names and the batch size to use. */
export interface CheckedSpec {
  spec: DatabaseSourceSpec;
  dialect: Dialect;
  batchSize: number;
}

export function checkSpec(spec: DatabaseSourceSpec): CheckedSpec {
  const wrong = (detail: string) => sourceFailure(spec, 'spec', detail);
  if (!spec.id.trim()) throw wrong('the source has no id');
  let protocol: string;
  try {
    protocol = new URL(spec.url).protocol;
  } catch {
    throw wrong('the url is not a URL');
  }
  const dialect = DIALECTS[protocol];
  if (!dialect) {
    const known = Object.keys(DIALECTS).map((scheme) => `${scheme}//`);
    throw wrong(`unsupported URL scheme ${protocol} (use ${known.join(', ')})`);
  }
  if (Boolean(spec.table?.trim()) === Boolean(spec.query?.trim())) {
    throw wrong('name exactly one of table and query');
  }
  if (!spec.watermark.trim()) throw wrong('the source has no watermark column');
  const batchSize = spec.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw wrong(`batchSize must be a whole number of at least 1, not ${spec.batchSize}`);
  }
  return { spec, dialect, batchSize };
}
