// A seeded population with known truth for the matcher: enterprises with v1-era legacy codes and
// v2 USCCs, renames, 分公司 branches, individual businesses, people (some with 15-digit IDs, many
// sharing names), name-only records, and a few check-character typos the caller rejects.
import type { EntityType } from '../../src/catalog/index.js';
import type { Evidence } from '../../src/identity/evidence.js';
import { hashResidentId } from '../../src/identity/id-key.js';
import type { Source } from '../../src/identity/matcher.js';
import { orgCodeCheckChar, regNoCheckChar, USCC_ALPHABET, usccCheckChar } from '../../src/validate/identifiers/checksums.js';
import { checkOrgCode, checkRegNo, checkResidentId, checkTaxNo, checkUscc, upgradeResidentId15 } from '../../src/validate/identifiers/index.js';

export interface RawRecord {
  /** The entity the record is truly about. */
  truth: number;
  source: Source;
  type: EntityType;
  name: string;
  uscc?: string;
  orgCode?: string;
  taxNo?: string;
  regNo?: string;
  residentId?: string;
}

export interface PopulationSize {
  enterprises: number;
  individualBusinesses: number;
  people: number;
}

/** mulberry32: small, seedable, and the same on every platform. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const DIVISIONS = ['441302', '441303', '441322', '441323', '441324'];
const BRANCH_PLACES = ['惠阳', '博罗', '惠东', '龙门', '大亚湾'];
const SHOP_PLACES = ['惠城区', '惠阳区', '博罗县', '惠东县', '龙门县'];
const TRADE_CHARS = '鸿达粤惠东江西湖罗浮金山华鑫永盛联创宏图德润嘉禾福安泰和兴隆昌顺新源利丰';
const INDUSTRIES = ['五金制品', '电子科技', '食品贸易', '建材', '餐饮管理', '物流', '服装', '医药连锁'];
const SURNAMES = ['陈', '李', '张', '黄', '刘', '林', '叶', '钟', '罗', '邓'];
const GIVEN = ['伟', '志强', '秀英', '海燕', '建华', '丽娟', '国平', '晓东', '美玲', '俊杰'];
/** Deliveries 1–3 are v1-era (legacy codes), 4–8 v2 (USCCs); a rename takes effect after file 5. */
const V1_FILES = [1, 2, 3];
const V2_FILES = [4, 5, 6, 7, 8];
const RENAMED_AFTER = 5;

export interface Population {
  /** In delivery order: shuffled across entities and files. */
  records: RawRecord[];
  /** How many records carry a check-character typo. */
  typos: number;
}

export function population(seed: number, size: PopulationSize): Population {
  const rng = random(seed);
  const int = (n: number): number => Math.floor(rng() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const used = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const value = make();
      if (!used.has(value)) {
        used.add(value);
        return value;
      }
    }
  };
  const rows = new Map<number, number>();
  const source = (file: number): Source => {
    const row = (rows.get(file) ?? 0) + 1;
    rows.set(file, row);
    return { file, row };
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');
  const alnum = (n: number): string => Array.from({ length: n }, () => USCC_ALPHABET[int(USCC_ALPHABET.length)]).join('');
  const orgCode = (legacy: boolean): string =>
    unique(() => {
      const body = legacy ? digits(8) : `MA${alnum(6)}`;
      return body + orgCodeCheckChar(body)!;
    });
  const uscc = (prefix: string, org: string): string => {
    const first17 = prefix + pick(DIVISIONS) + org;
    return first17 + usccCheckChar(first17)!;
  };
  const trade = (): string => pick([...TRADE_CHARS]) + pick([...TRADE_CHARS]);
  const companyName = (): string =>
    unique(() => (rng() < 0.1 ? `${trade()}（惠州）${pick(INDUSTRIES)}有限公司` : `惠州市${trade()}${pick(INDUSTRIES)}有限公司`));
  // Units type the full-width brackets as ASCII about half the time; nameKey folds them.
  const spelled = (name: string): string => (rng() < 0.5 ? name.replace('（', '(').replace('）', ')') : name);

  const records: RawRecord[] = [];
  let truth = 0;

  for (let e = 0; e < size.enterprises; e++) {
    const id = ++truth;
    const legacy = rng() < 0.6;
    const org = orgCode(legacy);
    const code = uscc('91', org);
    const name = companyName();
    const renamed = rng() < 0.1 ? companyName() : undefined;
    const nameIn = (file: number): string => spelled(renamed !== undefined && file > RENAMED_AFTER ? renamed : name);
    const regNo = unique(() => {
      const body = `441300${digits(8)}`;
      return body + regNoCheckChar(body)!;
    });
    for (let n = 1 + int(4); n > 0; n--) {
      const file = pick(V2_FILES);
      const record: RawRecord = { truth: id, source: source(file), type: 'org', name: nameIn(file), uscc: code };
      if (legacy && rng() < 0.15) record.regNo = regNo;
      records.push(record);
    }
    if (legacy) {
      let regOnly = false;
      let crosswalk = records.some((r) => r.truth === id && r.regNo !== undefined);
      for (let n = int(4); n > 0; n--) {
        const file = pick(V1_FILES);
        const record: RawRecord = { truth: id, source: source(file), type: 'org', name: nameIn(file) };
        const form = int(4);
        if (form === 0) record.orgCode = org;
        else if (form === 1) record.taxNo = pick(DIVISIONS) + org;
        else if (form === 2) {
          record.regNo = regNo;
          regOnly = true;
        } else {
          record.orgCode = org;
          record.regNo = regNo;
          crosswalk = true;
        }
        records.push(record);
      }
      // A registration number links only through a record that carries it with a code.
      if (regOnly && !crosswalk) records.push({ truth: id, source: source(pick(V1_FILES)), type: 'org', name: nameIn(1), orgCode: org, regNo });
    }
    if (renamed === undefined && rng() < 0.15) {
      const file = pick([...V1_FILES, ...V2_FILES]);
      records.push({ truth: id, source: source(file), type: 'org', name: nameIn(file) });
    }
    if (rng() < 0.2) {
      const places = shuffled(BRANCH_PLACES, int(1 << 30)).slice(0, 1 + int(2));
      for (const place of places) {
        const branch = ++truth;
        const branchCode = uscc('91', orgCode(false));
        const branchName = `${name}${place}分公司`;
        used.add(branchName);
        for (let n = 1 + int(2); n > 0; n--) {
          records.push({ truth: branch, source: source(pick(V2_FILES)), type: 'org', name: branchName, uscc: branchCode });
        }
      }
    }
  }

  for (let b = 0; b < size.individualBusinesses; b++) {
    const id = ++truth;
    const code = uscc('92', orgCode(false));
    const name = unique(() => `${pick(SHOP_PLACES)}${trade()}${pick(INDUSTRIES)}店`);
    for (let n = 1 + int(3); n > 0; n--) {
      // Some units file individual businesses as organisations; the USCC says otherwise.
      records.push({ truth: id, source: source(pick(V2_FILES)), type: rng() < 0.1 ? 'org' : 'individual-business', name, uscc: code });
    }
  }

  for (let p = 0; p < size.people; p++) {
    const id = ++truth;
    const name = pick(SURNAMES) + pick(GIVEN);
    const division = pick(DIVISIONS);
    const yymmdd = (): string => `${40 + int(60)}${String(1 + int(12)).padStart(2, '0')}${String(1 + int(28)).padStart(2, '0')}`;
    let id15 = '';
    const id18 = unique(() => upgradeResidentId15((id15 = `${division}${yymmdd()}${digits(3)}`)));
    // First-generation holders still have their 15-digit number about; units deliver either form.
    const firstGeneration = rng() < 0.4;
    for (let n = 1 + int(4); n > 0; n--) {
      const residentId = firstGeneration && rng() < 0.5 ? id15 : id18;
      records.push({ truth: id, source: source(pick([...V1_FILES, ...V2_FILES])), type: 'person', name, residentId });
    }
  }

  let typos = 0;
  const delivered = shuffled(records, seed + 1).map((r) => {
    const typo = rng() < 0.02 ? withTypo(r, rng) : r;
    if (typo !== r) typos++;
    return typo;
  });
  return { records: delivered, typos };
}

/** The record with one check character changed, the way a typing slip changes it. */
function withTypo(record: RawRecord, rng: () => number): RawRecord {
  const change = (code: string, alphabet: string): string => {
    const last = code[code.length - 1]!;
    const others = [...alphabet].filter((c) => c !== last);
    return code.slice(0, -1) + others[Math.floor(rng() * others.length)]!;
  };
  if (record.uscc !== undefined) return { ...record, uscc: change(record.uscc, USCC_ALPHABET) };
  if (record.orgCode !== undefined) return { ...record, orgCode: change(record.orgCode, '0123456789X') };
  if (record.taxNo !== undefined) return { ...record, taxNo: change(record.taxNo, '0123456789X') };
  if (record.regNo !== undefined) return { ...record, regNo: change(record.regNo, '0123456789') };
  // A 15-digit ID has no check character to mistype.
  if (record.residentId?.length === 18) return { ...record, residentId: change(record.residentId, '0123456789X') };
  return record;
}

/** What the pipeline hands the matcher: every code checked (a record with a failing one is rejected), resident IDs hashed. */
export function toEvidence(record: RawRecord, idKey: Buffer): Evidence | undefined {
  const evidence: Evidence = { type: record.type, name: record.name };
  const checks = [
    ['uscc', record.uscc, checkUscc],
    ['orgCode', record.orgCode, checkOrgCode],
    ['taxNo', record.taxNo, checkTaxNo],
    ['regNo', record.regNo, checkRegNo],
  ] as const;
  for (const [field, value, check] of checks) {
    if (value === undefined) continue;
    const verdict = check(value);
    if (!verdict.valid) return undefined;
    evidence[field] = verdict.value;
  }
  if (record.residentId !== undefined) {
    const verdict = checkResidentId(record.residentId);
    if (!verdict.valid) return undefined;
    evidence.residentIdHash = hashResidentId(idKey, verdict.upgradedFrom15 ?? verdict.value).hash;
  }
  return evidence;
}
