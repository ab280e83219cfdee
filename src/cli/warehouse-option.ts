// `--warehouse URL|PATH`, the same on every command that reads or writes the warehouse.
import { Option } from 'commander';
import { DEFAULT_WAREHOUSE, openWarehouse, type Warehouse } from '../warehouse/connect.js';

export function warehouseOption(): Option {
  return new Option('--warehouse <url|path>', `the warehouse: a SQLite file, postgres://user@host:5432/db or mysql://user@host:3306/db (default: the pipeline's, else ${DEFAULT_WAREHOUSE})`);
}

/** Opens the warehouse the options name, runs `work`, and always closes it. */
export async function withWarehouse<T>(spec: string | undefined, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(spec);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}
