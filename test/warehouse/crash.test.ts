// Invariant 2: a file loads whole or not at all. A real load in a child process is killed with
// SIGKILL half way through its file; the warehouse must hold nothing of it, and loading the file
// again must bring every row exactly once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { WAREHOUSE_KINDS, type TestWarehouse } from './servers.js';

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));
const ROWS = 2000;
const SHA = 'c'.repeat(64);

function loadInChild(spec: string, pause: boolean): { child: ReturnType<typeof spawn>; output: Promise<string>; midFile: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, spec, String(ROWS), SHA, pause ? 'pause' : 'go'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  let reached: () => void;
  const midFile = new Promise<void>((resolve) => { reached = resolve; });
  child.stdout!.on('data', (b: Buffer) => {
    text += b.toString();
    if (text.includes('mid-file')) reached();
  });
  const output = once(child, 'exit').then(() => text);
  return { child, output, midFile };
}

async function count(wh: Warehouse, table: string): Promise<number> {
  const [{ n }] = (await wh.knex(table).count({ n: '*' })) as [{ n: number | string }];
  return Number(n);
}

describe.each(WAREHOUSE_KINDS)('kill -9 mid-file on $name', (kind) => {
  let place: TestWarehouse;
  afterEach(async () => place.drop());

  it('leaves nothing of the file, and the rerun loads every row once', async () => {
    place = await kind.create();
    const wh = await openWarehouse(place.spec);
    try {
      await ensureSchema(wh, loadCatalog('v2'));
      const killed = loadInChild(place.spec, true);
      await killed.midFile;
      // Half the file is written inside the open transaction when the process dies.
      killed.child.kill('SIGKILL');
      await killed.output;
      expect(killed.child.signalCode).toBe('SIGKILL');
      // PostgreSQL and MariaDB roll back when they notice the connection is gone: wait for it.
      for (let i = 0; i < 50 && (await count(wh, 'xzcf')) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      for (const table of ['xzcf', 'etl_files', 'etl_ledger', 'etl_repairs', 'etl_audit', 'etl_entities', 'etl_identifiers']) expect(await count(wh, table), table).toBe(0);

      const rerun = loadInChild(place.spec, false);
      const out = await rerun.output;
      expect(rerun.child.exitCode).toBe(0);
      expect(JSON.parse(out.split('\n').at(-2)!)).toMatchObject({ rowsRead: ROWS, loaded: ROWS, rejected: 0 });
      expect(await count(wh, 'xzcf')).toBe(ROWS);
      const [{ n: keys }] = (await wh.knex('xzcf').countDistinct({ n: '_key' })) as [{ n: number | string }];
      expect(Number(keys)).toBe(ROWS);
      const [file] = await wh.knex('etl_files');
      expect(file).toMatchObject({ outcome: 'loaded', rows_read: ROWS, loaded: ROWS });
      // Every record linked, and the entities it linked to committed with it.
      expect(await wh.knex('xzcf').whereNull('_entity_id').first()).toBeUndefined();
      expect(await count(wh, 'etl_entities')).toBeGreaterThan(0);
    } finally {
      await wh.close();
    }
  }, 120_000);
});
