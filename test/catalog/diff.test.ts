import { describe, expect, it } from 'vitest';
import { diffCatalogs, loadCatalog, renderDiff, type CatalogChange } from '../../src/catalog/index.js';
import { addWithdrawal, subjectOf, tinyCatalog, writeCatalog, type Files } from './tiny-catalog.js';

/** Changes from v1 to v2, both made by `base` (the tiny catalog unless told) and v2 then changed. */
function pair(change: (v2: Files) => void, base: () => Files = tinyCatalog): CatalogChange[] {
  const root = writeCatalog(base(), 'v1').replace(/\/v1$/, '');
  const v2 = base();
  (v2['catalog.yaml'] as { catalog: Record<string, unknown> }).catalog = { id: 'v2', title: '测试目录二', effective: '2025-01-01', supersedes: 'v1' };
  change(v2);
  writeCatalog(v2, 'v2', root);
  return diffCatalogs(loadCatalog(`${root}/v1`), loadCatalog(`${root}/v2`)).changes;
}

const find = (changes: CatalogChange[], target: string, kind?: string) =>
  changes.filter((c) => c.target === target && (kind === undefined || c.kind === kind));

describe('catalog diff: classification for a warehouse holding the older data', () => {
  it('finds nothing between a catalog and an identical successor', () => {
    expect(pair(() => {})).toEqual([]);
  });

  it('calls a narrowed type breaking and a widened one compatible', () => {
    const changes = pair((v2) => {
      subjectOf(v2).items[4]!['type'] = 'datetime';
      subjectOf(v2).items[0]!['type'] = 'integer';
      delete subjectOf(v2).items[0]!['length'];
    });
    expect(find(changes, 'SWJ_QSGG.QSGG_GGRQ')).toEqual([expect.objectContaining({ property: 'type', before: 'date', after: 'datetime', compatibility: 'compatible' })]);
    expect(find(changes, 'SWJ_QSGG.QSGG_NSRMC')).toEqual([expect.objectContaining({ property: 'type', before: 'string', after: 'integer', compatibility: 'breaking' })]);
  });

  it('calls a shorter length or scale breaking and a longer one compatible', () => {
    const changes = pair((v2) => {
      subjectOf(v2).items[0]!['length'] = 100;
      subjectOf(v2).items[2]!['length'] = 20;
      subjectOf(v2).items[3]!['scale'] = 1;
    });
    expect(find(changes, 'SWJ_QSGG.QSGG_NSRMC')[0]).toMatchObject({ property: 'length', before: '200', after: '100', compatibility: 'breaking' });
    expect(find(changes, 'SWJ_QSGG.QSGG_SHXYM')[0]).toMatchObject({ property: 'length', compatibility: 'compatible' });
    expect(find(changes, 'SWJ_QSGG.QSGG_QSJE')[0]).toMatchObject({ property: 'scale', before: '2', after: '1', compatibility: 'breaking' });
  });

  it('follows renamed_from instead of reporting a removal and an addition', () => {
    const changes = pair((v2) => {
      subjectOf(v2).items[0]!['code'] = 'QSGG_ZTMC';
      subjectOf(v2).items[0]!['renamed_from'] = 'QSGG_NSRMC';
    });
    expect(changes).toEqual([expect.objectContaining({ kind: 'renamed', from: 'SWJ_QSGG.QSGG_NSRMC', target: 'SWJ_QSGG.QSGG_ZTMC', compatibility: 'compatible' })]);
  });

  it('calls a removed item or subject breaking and an added one compatible', () => {
    const changes = pair((v2) => {
      const s = subjectOf(v2);
      s.items.splice(3, 1);
      s.items.push({ code: 'QSGG_QSSZ', name: '欠缴税种', type: 'string', length: 100, required: true });
    });
    expect(find(changes, 'SWJ_QSGG.QSGG_QSJE', 'removed')[0]?.compatibility).toBe('breaking');
    expect(find(changes, 'SWJ_QSGG.QSGG_QSSZ', 'added')[0]?.compatibility).toBe('compatible');

    const dropped = pair((v2) => {
      const unit = v2['units/SWJ.yaml'] as { units: { delivers: string[] }[]; subjects: { code: string }[] };
      unit.subjects[0]!.code = 'SWJ_QSXX';
      unit.units[0]!.delivers = ['SWJ_QSXX'];
    });
    expect(find(dropped, 'SWJ_QSGG', 'removed')[0]?.compatibility).toBe('breaking');
    expect(find(dropped, 'SWJ_QSXX', 'added')[0]?.compatibility).toBe('compatible');
  });

  it('reports a subject\'s withdrawn_when set, changed or dropped as a compatible subject change', () => {
    const withdrawable = () => addWithdrawal(tinyCatalog());
    const changed = pair((v2) => { subjectOf(v2)['withdrawn_when'] = { when: 'QSGG_ZT', in: ['无效', '注销'] }; }, withdrawable);
    expect(changed).toEqual([expect.objectContaining({
      level: 'subject', kind: 'changed', target: 'SWJ_QSGG', property: 'withdrawn_when',
      before: 'QSGG_ZT in 无效', after: 'QSGG_ZT in 无效/注销', compatibility: 'compatible',
    })]);
    expect(renderDiff(diffCatalogs(loadCatalog('v1'), loadCatalog('v2'))).join('\n'))
      .toMatch(/subject\s+changed\s+XZXK withdrawn_when: none → XK_ZT in 无效/);

    const dropped = pair((v2) => { delete subjectOf(v2)['withdrawn_when']; }, withdrawable);
    expect(dropped).toEqual([expect.objectContaining({ target: 'SWJ_QSGG', property: 'withdrawn_when', before: 'QSGG_ZT in 无效', after: 'none', compatibility: 'compatible' })]);
    expect(pair(() => {}, withdrawable)).toEqual([]);
  });

  it('calls a changed business key breaking: stored records must be re-keyed', () => {
    const changes = pair((v2) => { subjectOf(v2)['business_key'] = ['QSGG_SHXYM', 'QSGG_QSJE']; });
    expect(changes).toEqual([expect.objectContaining({
      level: 'subject', kind: 'changed', target: 'SWJ_QSGG', property: 'business_key',
      before: 'QSGG_SHXYM+QSGG_GGRQ', after: 'QSGG_SHXYM+QSGG_QSJE', compatibility: 'breaking', reason: expect.stringMatching(/re-keyed/),
    })]);
    // The key text follows key order: the same items reordered are another key.
    expect(pair((v2) => { subjectOf(v2)['business_key'] = ['QSGG_GGRQ', 'QSGG_SHXYM']; })).toEqual([expect.objectContaining({ property: 'business_key', compatibility: 'breaking' })]);
  });

  it('keeps the key of a renamed key item, but not of one whose values are stored in another form', () => {
    const renamed = pair((v2) => {
      subjectOf(v2).items[2]!['code'] = 'QSGG_TYDM';
      subjectOf(v2).items[2]!['renamed_from'] = 'QSGG_SHXYM';
      subjectOf(v2)['business_key'] = ['QSGG_TYDM', 'QSGG_GGRQ'];
    });
    expect(renamed.filter((c) => c.property === 'business_key')).toEqual([]);
    const retyped = pair((v2) => { subjectOf(v2).items[4]!['type'] = 'datetime'; });
    expect(find(retyped, 'SWJ_QSGG')).toEqual([expect.objectContaining({ property: 'business_key', before: 'QSGG_SHXYM+QSGG_GGRQ', after: 'QSGG_SHXYM+QSGG_GGRQ', compatibility: 'breaking' })]);
  });

  it('reports required and openness changes as compatible, with before and after', () => {
    const changes = pair((v2) => {
      subjectOf(v2).items[0]!['required'] = false;
      subjectOf(v2).items[3]!['openness'] = 'government';
    });
    expect(find(changes, 'SWJ_QSGG.QSGG_NSRMC')[0]).toMatchObject({ property: 'required', before: 'required', after: 'optional', compatibility: 'compatible' });
    expect(find(changes, 'SWJ_QSGG.QSGG_QSJE')[0]).toMatchObject({ property: 'openness', before: 'public', after: 'government', compatibility: 'compatible' });
  });
});

describe('catalog diff v1 v2 (the shipped catalogs)', () => {
  const diff = diffCatalogs(loadCatalog('v1'), loadCatalog('v2'));

  it('records the v1 → v2 双公示 renames of FACTS §5.5 through renamed_from', () => {
    const renames = diff.changes.filter((c) => c.kind === 'renamed' && c.level === 'item').map((c) => `${c.from} → ${c.target}`);
    for (const r of [
      'XZXK.XK_XDR_ZDM → XZXK.XK_XDR_ZZJG', 'XZXK.XK_XDR_GSDJ → XZXK.XK_XDR_GSZC', 'XZXK.XK_XDR_SFZ → XZXK.XK_XDR_ZJHM',
      'XZXK.XK_XDR → XZXK.XK_XDR_MC', 'XZXK.XK_SPLB → XZXK.XK_XKLB', 'XZXK.XK_XZJG → XZXK.XK_XKJG', 'XZXK.XK_JZQ → XZXK.XK_YXQZI',
      'XZCF.CF_XDR_ZDM → XZCF.CF_XDR_ZZJG', 'XZCF.CF_XDR_GSDJ → XZCF.CF_XDR_GSZC', 'XZCF.CF_XDR_SFZ → XZCF.CF_XDR_ZJHM',
      'XZCF.CF_FR → XZCF.CF_FRDB', 'XZCF.CF_XZJG → XZCF.CF_CFJG',
    ]) expect(renames).toContain(r);
  });

  it('adds the v2 subject type and calls the dropped v1 items breaking', () => {
    expect(find(diff.changes, 'XZXK.XK_XDR_LB', 'added')[0]?.compatibility).toBe('compatible');
    expect(find(diff.changes, 'XZXK.XK_XMMC', 'removed')[0]?.compatibility).toBe('breaking');
    expect(find(diff.changes, 'XZXK.DFBM', 'removed')[0]?.compatibility).toBe('breaking');
  });

  it('reports that v2 says which 行政许可 rows are withdrawals', () => {
    expect(find(diff.changes, 'XZXK', 'changed').filter((c) => c.property !== 'business_key')).toEqual([expect.objectContaining({ property: 'withdrawn_when', before: 'none', after: 'XK_ZT in 无效', compatibility: 'compatible' })]);
  });

  it('reports the 行政处罚 key moving from the authority\'s name to its code, and every other key change', () => {
    expect(find(diff.changes, 'XZCF', 'changed')).toContainEqual(expect.objectContaining({
      property: 'business_key', before: 'CF_WSH+CF_XZJG', after: 'CF_WSH+CF_CFJGDM', compatibility: 'breaking',
    }));
    // 26 subjects list other key codes in v2; 7 of them only renamed a key item (CGJ_RQXK: RQXK_ZSBH → RQXK_XKZH …),
    // which keeps the stored keys, except GJJ_DKYQ, whose 统计日期 also turns from 8-digit text into a date.
    const rekeyed = diff.changes.filter((c) => c.property === 'business_key');
    expect(rekeyed).toHaveLength(20);
    expect(rekeyed.map((c) => c.target)).not.toContain('CGJ_RQXK');
    expect(rekeyed).toContainEqual(expect.objectContaining({ target: 'GJJ_DKYQ', before: 'DKYQ_HTBH+DKYQ_TJRQ', after: 'DKYQ_JKHTBH+DKYQ_TJRQ' }));
  });

  it('counts the units the v2 catalog added', () => {
    const added = diff.changes.filter((c) => c.level === 'unit' && c.kind === 'added');
    expect(added.length).toBe(loadCatalog('v2').units.length - loadCatalog('v1').units.length);
  });
});
