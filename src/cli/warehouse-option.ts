// `--warehouse URL|PATH`, the same on every command that reads or writes the warehouse.
import { Option } from 'commander';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { DEFAULT_WAREHOUSE, openWarehouse, WarehouseError, type OpenOptions, type Warehouse } from '../warehouse/connect.js';
import { loadPipeline, PipelineError, type Pipeline } from '../run/pipeline.js';
import { UsageError } from './output.js';
import { schemaState } from '../warehouse/schema.js';
import { T } from '../warehouse/tables.js';

export function warehouseOption(): Option {
  return new Option('--warehouse <url|path>', `the warehouse: a SQLite file, postgres://user@host:5432/db or mysql://user@host:3306/db (default: the nightly pipeline's, else ${DEFAULT_WAREHOUSE})`);
}

/**
 * The warehouse a command uses without --warehouse: the one the nightly pipeline loads into (so
 * `ledger` and `entity show` read what `run` wrote), else warehouse/credit.db.
 */
export function defaultWarehouse(cwd = process.cwd()): string {
  try {
    return loadPipeline('nightly', cwd).warehouse ?? DEFAULT_WAREHOUSE;
  } catch {
    return DEFAULT_WAREHOUSE;
  }
}

/** The pipeline `--pipeline` names; one that is missing or malformed is the user's mistake (exit 1, no stack). */
export function pipelineOption(ref: string): Pipeline {
  try {
    return loadPipeline(ref);
  } catch (e) {
    if (e instanceof PipelineError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Opens the warehouse the options name, runs `work`, and always closes it. A command that only
 * reads passes `{ create: false }`: a mistyped SQLite path is an error, not a new empty warehouse.
 */
export async function withWarehouse<R>(spec: string | undefined, work: (wh: Warehouse) => Promise<R>, options: OpenOptions = {}): Promise<R> {
  const wh = await openWarehouse(spec ?? defaultWarehouse(options.cwd), options);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

/**
 * Opens a warehouse that has been loaded into, read-only, with the catalog it follows: that
 * catalog says which subjects and items its rows hold.
 */
export async function withCatalogWarehouse<R>(spec: string | undefined, work: (wh: Warehouse, catalog: Catalog) => Promise<R>): Promise<R> {
  return withWarehouse(spec, async (wh) => {
    const { catalog } = await schemaState(wh.knex);
    if (catalog === undefined || !(await wh.knex.schema.hasTable(T.files))) {
      throw new WarehouseError(`the warehouse ${wh.shown} holds no loads (no ${T.files} table): nothing was ever loaded into it, or --warehouse names another database`);
    }
    return work(wh, loadCatalog(catalog));
  }, { create: false });
}
