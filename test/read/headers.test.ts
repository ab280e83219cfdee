import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/headers.js';
import { decideSubject, describeCandidates } from '../../src/read/subject.js';

const v2 = loadCatalog('v2');
const subject = (code: string) => v2.subjects.find((s) => s.code === code)!;
const penaltyHeaders = subject('XZCF').items.map((i) => i.name);

describe('mapHeaders', () => {
  it('maps codes, names and aliases after normalising full-width, spaces, brackets and 必填 markers', () => {
    const m = mapHeaders(['CF_WSH', '行政相对人名称 ', '行政相对人代码_1（统一社会信用代码）', '罚款金额(万元)', '处罚决定日期*', '处罚机关（必填）', '经办人'], subject('XZCF'));
    expect(m.columns.map((c) => c?.code)).toEqual(['CF_WSH', 'CF_XDR_MC', 'CF_XDR_SHXYM', 'CF_NR_FK', 'CF_JDRQ', 'CF_CFJG', undefined]);
    expect(m.unmapped).toEqual([{ column: 6, label: '经办人', why: 'unknown' }]);
  });

  it('drops only meaningless notes: 罚款金额（元） is not the 万元 item, 法定代表人（身份证号码） not the name', () => {
    const m = mapHeaders(['罚款金额（元）', '法定代表人（身份证号码）', '处罚机关（统一社会信用代码）', '处罚机关（选填）'], subject('XZCF'));
    expect(m.columns.map((c) => c?.code)).toEqual([undefined, undefined, undefined, 'CF_CFJG']);
  });

  it('reports a second column for the same item, and required items with no column', () => {
    const m = mapHeaders(['行政处罚决定书文号', '决定书文号', '行政相对人名称'], subject('XZCF'));
    expect(m.unmapped).toEqual([{ column: 1, label: '决定书文号', why: 'duplicate' }]);
    expect(m.missingRequired.map((i) => i.code)).toEqual(expect.arrayContaining(['CF_XDR_LB', 'CF_WFXW', 'CF_CFJGDM']));
    expect(m.missingRequired.map((i) => i.code)).not.toContain('CF_XDR_SHXYM'); // required only for organisations
  });
});

describe('decideSubject', () => {
  const swj = v2.units.find((u) => u.code === 'SWJ')!;
  const unitSubjects = v2.subjects.filter((s) => swj.delivers.includes(s.code));

  it('takes the subject whose items explain the columns: a penalty file is 行政处罚, not 行政许可', () => {
    const d = decideSubject(penaltyHeaders, unitSubjects);
    expect(d.kind).toBe('match');
    expect(d.kind === 'match' && d.columns.subject.code).toBe('XZCF');
    expect(d.candidates[0]).toMatchObject({ code: 'XZCF', score: 1, mapped: 30, missingRequired: 0 });
  });

  it('says none, with the candidates and their scores, when nothing fits', () => {
    const d = decideSubject(['序号', '姓名', '出生日期', '籍贯'], unitSubjects);
    expect(d.kind).toBe('none');
    expect(describeCandidates(d.candidates)).toMatch(/^\w+ .+ 0\.\d\d \(\d+ columns, \d+ required missing\)/);
  });

  it('says ambiguous when two subjects explain the columns equally', () => {
    const twins = [subject('XZCF'), { ...subject('XZCF'), code: 'XZCF_COPY', name: '行政处罚信息（副本）' }];
    const d = decideSubject(penaltyHeaders, twins);
    expect(d.kind).toBe('ambiguous');
    expect(d.candidates.map((c) => c.score)).toEqual([1, 1]);
  });
});
