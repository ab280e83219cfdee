// Stage 8: entity matching alone — EntityMatcher.link over N records against a registry built
// from N/2 entities first (untimed; N is at least 1,000,000), as a night's records meet the entities already known.
// The records mix the ways units identify an entity: a USCC (most), only the organisation code
// inside it (v1-era), a resident ID's keyed hash (people), and new entities, one in ten.
// Then the registry goes through a SQLite warehouse as a run's does: written (one file's save of
// every entity), and rebuilt from it, as every load of a new process starts.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { loadCatalog } from '../../src/catalog/index.js';
import { EntityMatcher } from '../../src/identity/matcher.js';
import { openWarehouse } from '../../src/warehouse/connect.js';
import { restoreMatcher, writeEntities } from '../../src/warehouse/registry.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import type { Evidence } from '../../src/identity/evidence.js';
import { orgCode, uscc } from '../../scripts/penalty-rows.js';
import { peakRssMb, rssMb, stage, type Figure } from '../stage.js';

/** Records made at a time. */
const CHUNK = 10_000;
const TRADE = ['鸿达', '粤惠', '东江', '西湖', '罗浮', '金山', '华鑫', '永盛', '联创', '宏图', '德润', '嘉禾'];

/** Entity `e` as the registry knows it: an enterprise with a USCC, or (one in five) a person. */
function entity(e: number, form: number): Evidence {
  if (e % 5 === 4) {
    return { type: 'person', name: `${TRADE[e % 12]!.slice(0, 1)}某${e % 97}`, residentIdHash: createHash('sha256').update(`person ${e}`).digest('hex') };
  }
  const code = orgCode(`MA${String(e).padStart(6, '0')}`);
  const name = `惠州市${TRADE[e % 12]}${e}有限公司`;
  // One in eight records of an enterprise is a v1-era one carrying only its organisation code.
  return form % 8 === 7 ? { type: 'org', name, orgCode: code } : { type: 'org', name, uscc: uscc(`91441302${code}`) };
}

await stage(async ([count, dir]) => {
  const records = Number(count);
  const known = Math.floor(records / 2);
  const matcher = new EntityMatcher();
  const before = rssMb();
  for (let e = 0; e < known; e++) matcher.link(entity(e, 0), { file: 1, row: e + 2 });
  const registryMb = rssMb() - before;
  // The night's records: nine in ten about a known entity, one in ten about a new one. They are
  // made a chunk at a time, untimed, as records stream in from the load; only linking is timed.
  const recordOf = (n: number): Evidence => entity(n % 10 === 9 ? known + n : (n * 7919) % known, n);
  const setupMb = rssMb();
  let ms = 0;
  for (let start = 0; start < records; start += CHUNK) {
    // Through JSON, as a parser hands values over: flat strings, not the concatenations made here.
    const night = JSON.parse(JSON.stringify(Array.from({ length: Math.min(CHUNK, records - start) }, (_, i) => recordOf(start + i)))) as Evidence[];
    const t0 = performance.now();
    for (let i = 0; i < night.length; i++) matcher.link(night[i]!, { file: 2, row: start + i + 2 });
    ms += performance.now() - t0;
  }
  const linked: Figure = {
    label: 'identity: EntityMatcher.link', rows: records, ms, peakMb: peakRssMb(), setupMb,
    note: `against ${known.toLocaleString('en')} known entities (built untimed; RSS grew ${Math.round(registryMb)} MB building them); target ≥ 200,000 records/s`,
  };

  // The registry tables alone: a catalog without subjects builds only the toolkit's tables.
  const wh = await openWarehouse(join(dir!, 'registry.sqlite'));
  try {
    const catalog = loadCatalog('v2');
    await ensureSchema(wh, { ...catalog, subjects: [] });
    const changes = matcher.drain();
    const w0 = performance.now();
    await wh.knex.transaction((trx) => writeEntities({ trx, sqlite: wh.sqlite! }, changes, 1));
    const writeMs = performance.now() - w0;
    const r0 = performance.now();
    const rebuilt = await restoreMatcher(wh.knex, wh.sqlite);
    const restoreMs = performance.now() - r0;
    return [linked, {
      label: 'identity: registry saved to SQLite', rows: changes.entities.length, ms: writeMs, peakMb: peakRssMb(),
      note: `${changes.entities.length.toLocaleString('en')} entities, ${changes.names.length.toLocaleString('en')} names, ${changes.identifiers.length.toLocaleString('en')} identifiers in one transaction (rows/s = entities/s)`,
    }, {
      label: 'identity: registry rebuilt from SQLite', rows: rebuilt.size, ms: restoreMs, peakMb: peakRssMb(),
      note: 'what a new process does before its first link (rows/s = entities/s)',
    }];
  } finally {
    await wh.close();
  }
});
