// The two statements a pull runs, built by knex so identifiers are quoted and values bound in the
// source's dialect. The pipeline's own query is spliced in last, as a subquery: drivers that bind
// client-side (mysql2) would otherwise read a `?` inside its string literals as a placeholder.
import type { Knex } from 'knex';
import type { DatabaseSourceSpec } from './spec.js';

const SOURCE_SLOT = '/*credit-etl source*/';
const SOURCE_ALIAS = 'src';

/** A statement in the driver's native placeholders, with its source still to be spliced in. */
export interface SourceStatement {
  template: string;
  bindings: readonly unknown[];
  /** The quoted table, or the pipeline's query in parentheses. */
  source: string;
}

/** Put the source into a template whose values the driver has (or will have) bound. */
export function spliceSource(template: string, source: string): string {
  // A function replacer, so `$&` or `$1` inside the pipeline's query stay as written.
  return template.replace(SOURCE_SLOT, () => source);
}

/** Selects no rows: its result says the source's column names. */
export function columnsStatement(knex: Knex, spec: DatabaseSourceSpec): SourceStatement {
  return statement(knex, spec, fromSource(knex).whereRaw('1 = 0'));
}

/**
 * Rows after `since` in watermark order; ties broken by every column in turn, so a re-pull of the
 * same rows numbers them the same way. Rows whose watermark is NULL come only when nothing is stored.
 */
export function pullStatement(
  knex: Knex,
  spec: DatabaseSourceSpec,
  since: string | undefined,
  columnCount: number,
): SourceStatement {
  const query = fromSource(knex);
  if (since !== undefined) query.where(spec.watermark, '>', since);
  const positions = Array.from({ length: columnCount }, (_, i) => String(i + 1));
  query.orderByRaw(['??', ...positions].join(', '), [spec.watermark]);
  return statement(knex, spec, query);
}

function fromSource(knex: Knex): Knex.QueryBuilder {
  return knex.select('*').from(knex.raw(`${SOURCE_SLOT} as ??`, [SOURCE_ALIAS]));
}

function statement(knex: Knex, spec: DatabaseSourceSpec, query: Knex.QueryBuilder): SourceStatement {
  const { sql, bindings } = query.toSQL().toNative();
  return { template: sql, bindings, source: sourceText(knex, spec) };
}

function sourceText(knex: Knex, spec: DatabaseSourceSpec): string {
  if (spec.table) return knex.raw('??', [spec.table]).toQuery();
  // Line breaks keep a trailing `-- comment` in the query from swallowing the closing parenthesis.
  const query = (spec.query ?? '').trim().replace(/;\s*$/, '');
  return `(\n${query}\n)`;
}
