// `--warehouse URL|PATH`, the same on every command that reads or writes the warehouse.
import { Option } from 'commander';
import { DEFAULT_WAREHOUSE, openWarehouse, type OpenOptions, type Warehouse } from '../warehouse/connect.js';

export function warehouseOption(): Option {
  return new Option('--warehouse <url|path>', `the warehouse: a SQLite file, postgres://user@host:5432/db or mysql://user@host:3306/db (default: the pipeline's, else ${DEFAULT_WAREHOUSE})`);
}

/**
 * Opens the warehouse the options name, runs `work`, and always closes it. A command that only
 * reads passes `{ create: false }`: a mistyped SQLite path is an error, not a new empty warehouse.
 */
export async function withWarehouse<T>(spec: string | undefined, work: (wh: Warehouse) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const wh = await openWarehouse(spec, options);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}
