import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subjectOf, tinyCatalog, writeCatalog } from '../catalog/tiny-catalog.js';
import { cli } from './capture.js';

describe('credit-etl catalog (CLI)', () => {
  it('validate exits 0 on the shipped catalogs and prints the counts', async () => {
    const r = await cli('catalog', 'validate', '--catalog', 'v2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/catalog v2 .*: valid — 33 units, 147 data subjects, 1400 data items/);
    expect((await cli('catalog', 'validate', '--catalog', 'v1')).code).toBe(0);
  });

  it('validate exits 1 and lists each problem with file:line and pointer', async () => {
    const files = tinyCatalog();
    subjectOf(files)['business_key'] = ['QSGG_MISSING'];
    const dir = writeCatalog(files);
    const r = await cli('catalog', 'validate', '--catalog', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/v1\/units\/SWJ\.yaml:\d+ \/subjects\/0\/business_key\/0: business key of SWJ_QSGG names QSGG_MISSING.* \[catalog\/business-key\]/);
    expect(r.stderr).toMatch(/1 problem\(s\)/);
  });

  it('an unknown version names the versions there are', async () => {
    const r = await cli('catalog', 'show', '--catalog', 'v9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no catalog version "v9" \(available: v1, v2/);
  });

  it('show prints 33 / 147 / 1400 and the shared subjects', async () => {
    const r = await cli('catalog', 'show', '--catalog', 'v2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/33 units · 147 data subjects · 1400 data items/);
    expect(r.stdout).toMatch(/XZCF\s+行政处罚信息\s+30 items\s+每日 T\+1\s+shared by \d+ units/);
  });

  it('show --subject and --unit list items and subjects; json carries the model', async () => {
    const s = await cli('catalog', 'show', '--subject', 'XZCF');
    expect(s.stdout).toMatch(/CF_NR_FK\s+罚款金额（万元）\s+decimal\(18,6\) 万元\s+if CF_CFLB=罚款/);
    const u = await cli('catalog', 'show', '--unit', 'SWJ', '--format', 'json');
    const parsed = JSON.parse(u.stdout) as { unit: { code: string }; subjects: { code: string }[] };
    expect(parsed.unit.code).toBe('SWJ');
    expect(parsed.subjects.map((x) => x.code)).toEqual(expect.arrayContaining(['XZXK', 'XZCF']));
    const bad = await cli('catalog', 'show', '--unit', 'NOPE');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/has no unit NOPE \(units: .*SCJG/);
  });

  it('diff prints a summary then breaking and compatible changes; json parses', async () => {
    const r = await cli('catalog', 'diff', 'v1', 'v2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^catalog diff v1 → v2: \d+ changes, \d+ breaking for a warehouse holding v1 data/);
    expect(r.stdout).toMatch(/BREAKING \(\d+\)/);
    expect(r.stdout).toMatch(/item\s+renamed\s+XZCF\.CF_XDR_ZDM → XZCF\.CF_XDR_ZZJG/);
    const j = JSON.parse((await cli('catalog', 'diff', 'v1', 'v2', '--format', 'json')).stdout) as { from: string; changes: unknown[] };
    expect(j.from).toBe('v1');
    expect(j.changes.length).toBeGreaterThan(100);
  });

  it('export then import writes a new version that validates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const xlsx = join(dir, 'v2.xlsx');
    expect((await cli('catalog', 'export', '--catalog', 'v2', '--out', xlsx)).code).toBe(0);
    const imported = await cli('catalog', 'import', xlsx, '--as', 'v3', '--out', join(dir, 'v3'));
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/imported .*v2.xlsx as v3 .*: 33 units, 147 data subjects, 1400 data items/);
    expect((await cli('catalog', 'validate', '--catalog', join(dir, 'v3'))).stdout).toMatch(/valid — 33 units/);
    const again = await cli('catalog', 'import', xlsx, '--as', 'v3', '--out', join(dir, 'v3'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/v3 already exists and is not empty; a published version is never overwritten/);
  });

  it('import of the hand-edited fixture names every bad cell and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cli-')), 'v9');
    const r = await cli('catalog', 'import', 'fixtures/catalog/v1-hand-edited-bad-cells.xlsx', '--as', 'v9', '--out', out);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^v1-hand-edited-bad-cells.xlsx sheet 数据项 row \d+ column F \(类型\): "文本" is not one of 字符, /),
      expect.stringMatching(/sheet 数据项 row \d+ column G \(长度\): "二千" is not a whole number/),
      expect.stringMatching(/sheet 数据项 row \d+ column P \(公开属性\): "不公开" is not one of 公开, 授权查询, 政务共享/),
      expect.stringMatching(/sheet 数据项 row \d+ column N \(必填\): "视情况" is not of the form 当 ITEM 为 A 或 B 时必填/),
      expect.stringMatching(/sheet 数据主题 row 2 column G \(报送时限\): "7个工作日" does not match .*T\+1 the day after/),
      'fixtures/catalog/v1-hand-edited-bad-cells.xlsx: 5 problem(s); nothing written',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('--help teaches: every catalog command explains itself with an example', async () => {
    for (const sub of ['validate', 'show', 'diff', 'export', 'import']) {
      const r = await cli('catalog', sub, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Example/);
    }
  });

  it('runs as a real process with the documented exit status', () => {
    const tsx = ['--import', 'tsx', 'src/cli/main.ts'];
    expect(execFileSync(process.execPath, [...tsx, '--help'], { encoding: 'utf8' })).toMatch(/Exit status/);
    const bad = spawnSync(process.execPath, [...tsx, 'catalog', 'show', '--catalog', 'v9'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/no catalog version "v9"/);
  });
});
