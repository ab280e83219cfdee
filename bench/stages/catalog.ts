// Stage 1: catalog v2 read and checked cold (the first thing every run does, in a fresh process),
// then every subject's cleaners and validators compiled, as a nightly run does before its first file.
import { performance } from 'node:perf_hooks';
import { countCatalog, readCatalog } from '../../src/catalog/index.js';
import { compileCatalog } from '../../src/validate/index.js';
import { peakRssMb, rssMb, stage } from '../stage.js';

await stage(() => {
  const setupMb = rssMb();
  const t0 = performance.now();
  const reading = readCatalog('v2');
  const readMs = performance.now() - t0;
  const readPeak = peakRssMb();
  if (!reading.catalog || reading.problems.length > 0) throw new Error('catalog v2 does not validate; run: credit-etl catalog validate');
  const c = countCatalog(reading.catalog);
  const t1 = performance.now();
  const compiled = compileCatalog(reading.catalog);
  const compileMs = performance.now() - t1;
  return [
    { label: 'catalog v2: read + check, cold', ms: readMs, peakMb: readPeak, setupMb, note: `${c.units} units, ${c.subjects} subjects, ${c.items} items; target < 1 s` },
    { label: `catalog v2: compileCatalog (${compiled.size} subjects)`, ms: compileMs, peakMb: peakRssMb(), note: 'cleaners + ajv validators; target < 1 s' },
  ];
});
