// Stage 2: the GBK CSV through readDelivery — sniff, decode, parse, shape (title row, header),
// map the header to the subject's items — every row consumed and dropped. Then the same rows as
// UTF-8 ("CSV UTF-8", the other way units save), in the same process: its peak is the GBK read's.
import { createReadStream, createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { readDelivery } from '../../src/read/index.js';
import { peakRssMb, rssMb, stage } from '../stage.js';

async function timeRead(path: string, catalog: Catalog): Promise<{ rows: number; ms: number; read: string }> {
  const t0 = performance.now();
  let rows = 0;
  let read = '';
  for await (const t of readDelivery(path, { catalog })) {
    read = `${t.format} ${t.encoding ?? ''} "${t.delimiter ?? ''}", ${t.columns.subject.code}`;
    for await (const _ of t.table.rows) rows++;
  }
  return { rows, ms: performance.now() - t0, read };
}

await stage(async ([path]) => {
  const catalog = loadCatalog('v2');
  const setupMb = rssMb();
  const gbk = await timeRead(path!, catalog);
  const peakMb = peakRssMb();
  const utf8Path = join(dirname(path!), 'penalty-utf8-read.csv');
  await pipeline(createReadStream(path!), iconv.decodeStream('gb18030'), createWriteStream(utf8Path));
  const utf8 = await timeRead(utf8Path, catalog);
  return [
    { label: 'read: readDelivery', rows: gbk.rows, ms: gbk.ms, peakMb, setupMb, note: `detected ${gbk.read}` },
    { label: 'read: readDelivery, the same as UTF-8', rows: utf8.rows, ms: utf8.ms, note: `detected ${utf8.read}; read second, in the same process (code already compiled); the UTF-8 copy made untimed` },
  ];
});
