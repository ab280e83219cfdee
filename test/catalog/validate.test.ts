import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, loadCatalog, readCatalog, type CatalogProblem } from '../../src/catalog/index.js';
import { addWithdrawal, subjectOf, tinyCatalog, writeCatalog, type Files } from './tiny-catalog.js';

function problemsOf(files: Files, version = 'v1'): CatalogProblem[] {
  return readCatalog(writeCatalog(files, version)).problems;
}

describe('catalog validate: schema', () => {
  it('accepts the tiny catalog', () => {
    expect(problemsOf(tinyCatalog())).toEqual([]);
  });

  it('names file, JSON pointer and line of an unknown key and of a bad code', () => {
    const files = tinyCatalog();
    const s = subjectOf(files);
    s.items[0]!['colour'] = 'red';
    s.items[1]!['code'] = 'qsgg-lb';
    const problems = problemsOf(files);
    expect(problems).toContainEqual(expect.objectContaining({
      code: 'catalog/schema', file: expect.stringMatching(/\/v1\/units\/SWJ\.yaml$/), pointer: '/subjects/0/items/0', message: 'unknown key "colour"',
    }));
    const bad = problems.find((p) => p.pointer === '/subjects/0/items/1/code');
    expect(bad?.message).toMatch(/^"qsgg-lb" does not match \^\[A-Z\]\[A-Z0-9_\]\{0,29\}\$ \(Subject, item and code-table codes become table and column names/);
    expect(bad?.line).toBeGreaterThan(5);
  });

  it('tells the user to quote a USCC that YAML read as a number', () => {
    const files = tinyCatalog();
    const text = String(JSON.stringify(files['units/SWJ.yaml']));
    files['units/SWJ.yaml'] = JSON.parse(text.replace('"11441300071701381D"', '114413000717109748')) as unknown;
    const [p] = problemsOf(files);
    expect(p).toMatchObject({ pointer: '/units/0/uscc', message: expect.stringMatching(/quote it/) });
  });

  it('reports a YAML syntax error with its line', () => {
    const files = tinyCatalog();
    files['broken.yaml'] = 'subjects:\n  - code: A\n    name: [unclosed\n';
    const p = problemsOf(files).find((x) => x.code === 'catalog/parse');
    expect(p?.file).toMatch(/\/v1\/broken\.yaml$/);
    expect(p?.line).toBeGreaterThanOrEqual(3);
  });

  it('requires exactly one catalog section whose id matches its folder', () => {
    const files = tinyCatalog();
    expect(problemsOf(files, 'v7').map((p) => p.message)).toContainEqual(expect.stringMatching(/does not match its folder v7/));
    delete files['catalog.yaml'];
    expect(problemsOf(files).map((p) => p.code)).toContain('catalog/version');
  });
});

describe('catalog validate: cross-references', () => {
  const cases: [string, (f: Files) => void, string, RegExp][] = [
    ['an unknown code table', (f) => { subjectOf(f).items[1]!['code_table'] = 'NOPE'; }, 'catalog/unknown-code-table', /code table NOPE/],
    ['a business key naming a missing item', (f) => { subjectOf(f)['business_key'] = ['QSGG_XX']; }, 'catalog/business-key', /names QSGG_XX/],
    ['a business key naming an item not always required', (f) => { subjectOf(f).items[2]!['required'] = { when: 'QSGG_LB', in: ['法人及非法人组织'] }; }, 'catalog/business-key', /^business key of SWJ_QSGG includes QSGG_SHXYM, which is not required/],
    ['a duplicate item code', (f) => { subjectOf(f).items[4]!['code'] = 'QSGG_QSJE'; }, 'catalog/duplicate-code', /QSGG_QSJE of SWJ_QSGG is defined again/],
    ['one alias claimed by two items', (f) => { subjectOf(f).items[3]!['aliases'] = ['纳税人识别号']; }, 'catalog/alias-clash', /claimed by both QSGG_SHXYM and QSGG_QSJE/],
    ['an alias equal to another item\'s name after full-width normalisation', (f) => { subjectOf(f).items[3]!['aliases'] = ['公告 日期（元）']; subjectOf(f).items[4]!['name'] = '公告日期(元)'; }, 'catalog/alias-clash', /"公告日期\(元\)" is claimed by both QSGG_QSJE and QSGG_GGRQ/],
    ['renamed_from with no superseded version', (f) => { subjectOf(f).items[0]!['renamed_from'] = 'QSGG_MC'; }, 'catalog/renamed-from', /supersedes no version/],
    ['a condition on a label its code table lacks', (f) => { subjectOf(f).items[2]!['required'] = { when: 'QSGG_LB', in: ['外星人'] }; }, 'catalog/condition', /"外星人" is not in code table XDR_LB/],
    ['a condition on a non-enum item', (f) => { subjectOf(f).items[2]!['required'] = { when: 'QSGG_GGRQ', in: ['自然人'] }; }, 'catalog/condition', /^SWJ_QSGG\.QSGG_SHXYM: required depends on QSGG_GGRQ, a date item; it must be an enum item of SWJ_QSGG$/],
    ['a condition on an item the subject lacks', (f) => { subjectOf(f).items[2]!['empty_when'] = { when: 'QSGG_XX', in: ['自然人'] }; }, 'catalog/condition', /^SWJ_QSGG\.QSGG_SHXYM: empty_when depends on QSGG_XX, which is not an item of SWJ_QSGG$/],
    ['a unit delivering an unknown subject', (f) => { (f['units/SWJ.yaml'] as { units: { delivers: string[] }[] }).units[0]!.delivers.push('SWJ_NONE'); }, 'catalog/unknown-subject', /SWJ_NONE/],
    ['a subject no unit delivers', (f) => { (f['units/SWJ.yaml'] as { units: { delivers: string[] }[] }).units[0]!.delivers = ['SWJ_QSGG']; f['more.yaml'] = { subjects: [{ ...subjectOf(f), code: 'SWJ_LONE' }] }; }, 'catalog/undelivered-subject', /SWJ_LONE is delivered by no unit/],
    ['a subject without an entity-name item', (f) => { delete subjectOf(f).items[0]!['identity']; }, 'catalog/identity', /no item with identity: entity-name/],
    ['two items claiming the uscc role', (f) => { subjectOf(f).items[0]!['identity'] = 'uscc'; subjectOf(f).items[1]!['identity'] = 'entity-name'; }, 'catalog/identity', /uscc is held by both/],
    ['a resident ID not marked personal', (f) => { subjectOf(f).items.push({ code: 'QSGG_SFZH', name: '身份证号码', type: 'resident-id', length: 18 }); }, 'catalog/personal', /QSGG_SFZH is a resident-id; it must be marked personal/],
    ['personal data open to the public', (f) => { subjectOf(f).items.push({ code: 'QSGG_LXDH', name: '联系电话', type: 'phone', length: 20, personal: true, openness: 'public' }); }, 'catalog/personal', /QSGG_LXDH is personal data; its openness cannot be public/],
    ['a pattern that does not compile', (f) => { subjectOf(f).items[0]!['pattern'] = '(['; }, 'catalog/pattern', /does not compile/],
    ['a scale above its precision', (f) => { subjectOf(f).items[3]!['scale'] = 12; subjectOf(f).items[3]!['precision'] = 10; }, 'catalog/decimal', /scale 12 exceeds precision 10/],
    ['a duplicate code table', (f) => { f['again.yaml'] = f['tables.yaml']; }, 'catalog/duplicate-code', /code table XDR_LB is defined again \(first at .*\/v1\/again.yaml:2\)/],
  ];
  for (const [what, breakIt, code, message] of cases) {
    it(`reports ${what}`, () => {
      const files = tinyCatalog();
      breakIt(files);
      const problems = problemsOf(files);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems).toContainEqual(expect.objectContaining({ code, message: expect.stringMatching(message) }));
      for (const p of problems) expect(p.file).toMatch(/\/v1\/[\w/.-]+\.yaml$/);
    });
  }
});

describe('catalog validate: business key', () => {
  it('names the file, line and pointer of a key item that is optional or conditionally required', () => {
    const files = tinyCatalog();
    subjectOf(files)['business_key'] = ['QSGG_NSRMC', 'QSGG_SHXYM'];
    subjectOf(files).items[0]!['required'] = false;
    subjectOf(files).items[2]!['required'] = { when: 'QSGG_LB', in: ['法人及非法人组织'] };
    const dir = writeCatalog(files);
    const problems = readCatalog(dir).problems;
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([
      ['catalog/business-key', '/subjects/0/business_key/0'],
      ['catalog/business-key', '/subjects/0/business_key/1'],
    ]);
    const lines = readFileSync(join(dir, 'units/SWJ.yaml'), 'utf8').split('\n');
    expect(lines[problems[1]!.line! - 1]).toMatch(/QSGG_SHXYM/);
    expect(formatProblem(problems[0]!)).toMatch(/\/v1\/units\/SWJ\.yaml:\d+ \/subjects\/0\/business_key\/0: business key of SWJ_QSGG includes QSGG_NSRMC, which is not required/);
  });

  it('finds every business-key item of the shipped catalogs required', () => {
    for (const v of ['v1', 'v2']) expect(readCatalog(v).problems).toEqual([]);
  });
});

describe('catalog validate: renames into the superseded version', () => {
  it('accepts a rename naming an item of the predecessor and rejects one naming nothing', () => {
    const v1 = tinyCatalog();
    const root = writeCatalog(v1, 'v1').replace(/\/v1$/, '');
    const v2 = tinyCatalog();
    (v2['catalog.yaml'] as { catalog: Record<string, unknown> }).catalog = { id: 'v2', title: '测试目录二', effective: '2025-01-01', supersedes: 'v1' };
    subjectOf(v2).items[0]!['code'] = 'QSGG_ZTMC';
    subjectOf(v2).items[0]!['renamed_from'] = 'QSGG_NSRMC';
    expect(readCatalog(writeCatalog(v2, 'v2', root)).problems).toEqual([]);

    subjectOf(v2).items[0]!['renamed_from'] = 'QSGG_GONE';
    const problems = readCatalog(writeCatalog(v2, "v2", root)).problems;
    expect(problems.map((p) => p.message).join('\n')).toMatch(/supersedes v1, but there is no|v1 SWJ_QSGG has no such item/);
  });
});

describe('catalog validate: withdrawn_when', () => {
  it('assembles the subject\'s withdrawal condition from YAML, accepting a code-table alias', () => {
    expect(loadCatalog(writeCatalog(addWithdrawal(tinyCatalog()))).subjects[0]!.withdrawnWhen).toEqual({ when: 'QSGG_ZT', in: ['无效'] });
    const aliased = loadCatalog(writeCatalog(addWithdrawal(tinyCatalog(), { when: 'QSGG_ZT', in: ['撤销', '2'] })));
    expect(aliased.subjects[0]!.withdrawnWhen).toEqual({ when: 'QSGG_ZT', in: ['撤销', '2'] });
    expect(loadCatalog(writeCatalog(tinyCatalog())).subjects[0]!.withdrawnWhen).toBeUndefined();
  });

  // Each bad condition is reported at the YAML line holding the offending part.
  const bad: [string, unknown, RegExp, string][] = [
    ['an item the subject lacks', { when: 'QSGG_XX', in: ['无效'] }, /^SWJ_QSGG: withdrawn_when depends on QSGG_XX, which is not an item of SWJ_QSGG$/, 'when: QSGG_XX'],
    ['a non-enum item', { when: 'QSGG_GGRQ', in: ['无效'] }, /^SWJ_QSGG: withdrawn_when depends on QSGG_GGRQ, a date item; it must be an enum item of SWJ_QSGG$/, 'when: QSGG_GGRQ'],
    ['a value its code table lacks', { when: 'QSGG_ZT', in: ['无效', '作废'] }, /^SWJ_QSGG: "作废" is not in code table ZT of QSGG_ZT$/, '- 作废'],
  ];
  for (const [what, cond, message, text] of bad) {
    it(`reports a withdrawal condition on ${what} with file and line`, () => {
      const dir = writeCatalog(addWithdrawal(tinyCatalog(), cond));
      const problems = readCatalog(dir).problems;
      expect(problems).toEqual([expect.objectContaining({ code: 'catalog/condition', message: expect.stringMatching(message) })]);
      const lines = readFileSync(join(dir, 'units/SWJ.yaml'), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.trim() === text) + 1;
      expect(line).toBeGreaterThan(0);
      expect(formatProblem(problems[0]!)).toMatch(new RegExp(`/v1/units/SWJ\\.yaml:${line} /subjects/0/withdrawn_when/(when|in/1): `));
    });
  }

  it('holds withdrawn_when to the condition shape of the schema', () => {
    const problems = problemsOf(addWithdrawal(tinyCatalog(), { when: 'QSGG_ZT', in: [], also: 1 }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'catalog/schema', pointer: '/subjects/0/withdrawn_when', message: 'unknown key "also"' }),
      expect.objectContaining({ code: 'catalog/schema', pointer: '/subjects/0/withdrawn_when/in', message: expect.stringMatching(/fewer than 1/) }),
    ]));
  });
});
