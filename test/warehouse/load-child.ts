// A load in a process of its own, for the crash test to kill: opens the warehouse named on the
// command line, loads `rows` 行政处罚 rows as one file in batches of 100, and says "mid-file"
// on stdout half way; with `pause` it then waits there, so the parent can SIGKILL it mid-transaction.
// Records are linked to entities, as a run links them.
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { openWarehouse } from '../../src/warehouse/connect.js';
import { FileLoad } from '../../src/warehouse/load.js';
import { EntityRegistry } from '../../src/warehouse/registry.js';
import { PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';

const [spec, count, sha, pause] = process.argv.slice(2);
const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
const check = new FileCheck(catalog, 'night.csv').table(mapHeaders(PENALTY_HEADER, penalty));
const wh = await openWarehouse(spec);
const registry = await EntityRegistry.open(wh, catalog, Buffer.alloc(32, 5));
const load = await FileLoad.begin(wh, { batchId: 1, unit: 'SCJG', path: '/inbox/night.csv', name: 'night.csv', sha256: sha!, bytes: 1 }, { registry });
const total = Number(count);
for (let n = 0; n < total; n += 100) {
  const rows = Array.from({ length: Math.min(100, total - n) }, (_, i) => {
    const cells = penaltyRow(n + i);
    return { checked: check({ row: n + i + 2, cells }), cells };
  });
  await load.add(penalty, rows);
  if (n + 100 >= total / 2 && n < total / 2) {
    process.stdout.write('mid-file\n');
    if (pause === 'pause') await sleep(60_000);
  }
}
const counts = await load.commit();
process.stdout.write(`${JSON.stringify(counts)}\n`);
await wh.close();
