import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, matchesPattern, PipelineError, subjectByRules } from '../../src/run/pipeline.js';

const work = () => mkdtempSync(join(tmpdir(), 'credit-etl-pipeline-'));

describe('pipelines', () => {
  it('reads the shipped nightly pipeline, its folders under the working folder', () => {
    const cwd = work();
    const p = loadPipeline('nightly', cwd);
    expect(p).toMatchObject({
      name: 'nightly', catalog: 'v2', units: 'all', files: [],
      warehouse: join(cwd, 'var/warehouse/credit.db'), idKeyFile: join(cwd, 'var/id.key'),
      folders: { inbox: join(cwd, 'var/inbox'), archive: join(cwd, 'var/archive'), quarantine: join(cwd, 'var/quarantine'), logs: join(cwd, 'var/log'), reports: join(cwd, 'var/reports'), receipts: join(cwd, 'var/receipts') },
      schedule: { cron: '0 30 1 * * *', timezone: 'Asia/Shanghai' },
    });
    expect(p.source.endsWith(join('pipelines', 'nightly.json'))).toBe(true);
  });

  it('prefers the working folder\'s pipelines/, reads YAML, keeps URLs as given and defaults the time zone', () => {
    const cwd = work();
    const dir = join(cwd, 'pipelines');
    mkdirSync(dir);
    writeFileSync(join(dir, 'nightly.yaml'), [
      'name: city', 'catalog: v1', 'warehouse: postgres://etl@db:5432/credit',
      'folders: { inbox: /srv/inbox, archive: a, quarantine: q }', 'units: [SCJG, SWJ]',
      'files: [{ unit: SCJG, pattern: "*处罚*.xlsx", subject: XZCF }]', 'schedule: { cron: "0 2 * * *" }',
    ].join('\n'));
    expect(loadPipeline('nightly', cwd)).toMatchObject({
      name: 'city', catalog: 'v1', warehouse: 'postgres://etl@db:5432/credit', units: ['SCJG', 'SWJ'],
      folders: { inbox: '/srv/inbox', archive: join(cwd, 'a'), quarantine: join(cwd, 'q'), reports: join(cwd, 'reports'), receipts: join(cwd, 'receipts') },
      schedule: { cron: '0 2 * * *', timezone: 'Asia/Shanghai' },
    });
  });

  it('names every problem of a pipeline that does not follow its schema', () => {
    const cwd = work();
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ name: 'Bad Name', catalog: 'v2', folders: { inbox: 'i' }, concurency: 2 }));
    expect(() => loadPipeline('bad.json', cwd)).toThrow(PipelineError);
    try {
      loadPipeline('bad.json', cwd);
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain('the pipeline has an unknown property "concurency"');
      expect(m).toContain('name must match pattern');
      expect(m).toContain('folders must have required property \'archive\'');
    }
    writeFileSync(join(cwd, 'broken.json'), '{ "name": ');
    expect(() => loadPipeline('broken.json', cwd)).toThrow(/cannot be parsed/);
    expect(() => loadPipeline('nowhere', cwd)).toThrow(/no pipeline "nowhere": looked for pipelines\/nowhere.json/);
  });

  it('gives a file (and sheet) the subject of the first rule that matches', () => {
    expect(matchesPattern('*处罚*.xlsx', '2026年11月行政处罚.XLSX')).toBe(true);
    expect(matchesPattern('*处罚*.xlsx', '行政处罚.xls')).toBe(false);
    expect(matchesPattern('a?c.csv', 'a(c.csv')).toBe(true);
    expect(matchesPattern('a.c', 'abc')).toBe(false);
    const rules = [
      { unit: 'SCJG', pattern: '*.xlsx', sheet: '许可*', subject: 'XZXK' },
      { unit: 'SCJG', pattern: '*.xlsx', subject: 'XZCF' },
      { pattern: '*.csv', subject: 'XZCF' },
    ];
    expect(subjectByRules(rules, 'SCJG', '双公示.xlsx', '许可信息')).toBe('XZXK');
    expect(subjectByRules(rules, 'SCJG', '双公示.xlsx', '处罚信息')).toBe('XZCF');
    expect(subjectByRules(rules, 'SWJ', '双公示.xlsx', '处罚信息')).toBeUndefined();
    expect(subjectByRules(rules, 'SWJ', 'x.csv', 'x.csv')).toBe('XZCF');
  });
});
