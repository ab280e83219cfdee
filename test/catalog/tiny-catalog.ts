// A small, valid catalog written to a temp folder, which each test then breaks in one way.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export type Files = Record<string, unknown>;

export function tinyCatalog(): Files {
  return {
    'catalog.yaml': { catalog: { id: 'v1', title: '测试目录', effective: '2024-01-01', supersedes: null } },
    'tables.yaml': {
      code_tables: [
        { code: 'XDR_LB', name: '行政相对人类别', entries: [{ code: '1', label: '法人及非法人组织' }, { code: '2', label: '自然人' }] },
      ],
    },
    'units/SWJ.yaml': {
      units: [{ code: 'SWJ', name: '国家税务总局惠州市税务局', uscc: '11441300071701381D', division: '441300', delivers: ['SWJ_QSGG'] }],
      subjects: [{
        code: 'SWJ_QSGG', name: '欠税公告信息', entity_types: ['org', 'person'], business_key: ['QSGG_SHXYM', 'QSGG_GGRQ'],
        frequency: 'quarterly', deadline: 'Q+15',
        items: [
          { code: 'QSGG_NSRMC', name: '纳税人名称', type: 'string', length: 200, required: true, identity: 'entity-name' },
          { code: 'QSGG_LB', name: '纳税人类别', type: 'enum', code_table: 'XDR_LB', required: true, identity: 'entity-type' },
          { code: 'QSGG_SHXYM', name: '统一社会信用代码', aliases: ['纳税人识别号'], type: 'uscc', length: 18, required: true, identity: 'uscc' },
          { code: 'QSGG_QSJE', name: '欠税金额', type: 'decimal', precision: 18, scale: 2, unit: '元', required: true },
          { code: 'QSGG_GGRQ', name: '公告日期', type: 'date', required: true },
        ],
      }],
    },
  };
}

/** Writes files (objects as YAML, strings verbatim) under a fresh temp folder `<tmp>/<version>`. */
export function writeCatalog(files: Files, version = 'v1', root = mkdtempSync(join(tmpdir(), 'catalog-'))): string {
  const dir = join(root, version);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}

type Subject = { items: Record<string, unknown>[] } & Record<string, unknown>;
export function subjectOf(files: Files): Subject {
  return (files['units/SWJ.yaml'] as { subjects: Subject[] }).subjects[0]!;
}

/** Gives the tiny subject a 当前状态 item on code table ZT and says which of its labels withdraw a record. */
export function addWithdrawal(files: Files, withdrawnWhen: unknown = { when: 'QSGG_ZT', in: ['无效'] }): Files {
  (files['tables.yaml'] as { code_tables: unknown[] }).code_tables.push(
    { code: 'ZT', name: '当前状态', entries: [{ code: '1', label: '有效' }, { code: '2', label: '无效', aliases: ['撤销', '注销'] }] },
  );
  const s = subjectOf(files);
  s.items.push({ code: 'QSGG_ZT', name: '当前状态', type: 'enum', code_table: 'ZT', required: true });
  s['withdrawn_when'] = withdrawnWhen;
  return files;
}
