// Stage 8: entity matching alone — EntityMatcher.link over N records against a registry built
// from N/2 entities first (untimed; N is at least 1,000,000), as a night's records meet the entities already known.
// The records mix the ways units identify an entity: a USCC (most), only the organisation code
// inside it (v1-era), a resident ID's keyed hash (people), and new entities, one in ten.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EntityMatcher } from '../../src/identity/matcher.js';
import type { Evidence } from '../../src/identity/evidence.js';
import { orgCode, uscc } from '../../scripts/penalty-rows.js';
import { peakRssMb, rssMb, stage } from '../stage.js';

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

await stage(([count]) => {
  const records = Number(count);
  const known = Math.floor(records / 2);
  const matcher = new EntityMatcher();
  const before = rssMb();
  for (let e = 0; e < known; e++) matcher.link(entity(e, 0), { file: 1, row: e + 2 });
  const registryMb = rssMb() - before;
  // The night's records: nine in ten about a known entity, one in ten about a new one.
  const night: Evidence[] = Array.from({ length: records }, (_, n) => entity(n % 10 === 9 ? known + n : (n * 7919) % known, n));
  const setupMb = rssMb();
  const t0 = performance.now();
  for (let n = 0; n < records; n++) matcher.link(night[n]!, { file: 2, row: n + 2 });
  const ms = performance.now() - t0;
  return [{
    label: 'identity: EntityMatcher.link', rows: records, ms, peakMb: peakRssMb(), setupMb,
    note: `against ${known.toLocaleString('en')} known entities (built untimed; RSS grew ${Math.round(registryMb)} MB building them); target ≥ 200,000 records/s`,
  }];
});
