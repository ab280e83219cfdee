// Stage 2: the GBK CSV through readDelivery — sniff, decode, parse, shape (title row, header),
// map the header to the subject's items — every row consumed and dropped.
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../../src/catalog/index.js';
import { readDelivery } from '../../src/read/index.js';
import { peakRssMb, rssMb, stage } from '../stage.js';

await stage(async ([path]) => {
  const catalog = loadCatalog('v2');
  const setupMb = rssMb();
  const t0 = performance.now();
  let rows = 0;
  let read = '';
  for await (const t of readDelivery(path!, { catalog })) {
    read = `${t.format} ${t.encoding ?? ''} "${t.delimiter ?? ''}", ${t.columns.subject.code}`;
    for await (const _ of t.table.rows) rows++;
  }
  return [{ label: 'read: readDelivery', rows, ms: performance.now() - t0, peakMb: peakRssMb(), setupMb, note: `detected ${read}` }];
});
