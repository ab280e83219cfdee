import { describe, expect, it } from 'vitest';
import { isEmptyMarker } from '../../src/cleanse/index.js';

describe('isEmptyMarker', () => {
  it.each([
    '', ' ', '\u3000',
    '无', '暂无', '空', '/', '-', '—', '——', 'null', 'NULL', '\\N', 'N/A',
    'Null', 'n/a', '--', '－', '―',
    ' 无 ', '\u3000暂无\u3000', '\u200b/', '\t\\N\n',
    '／', 'ＮＵＬＬ', 'ｎｕｌｌ', 'Ｎ／Ａ', '＼Ｎ', '－－',
  ])('%j means no value', (raw) => {
    expect(isEmptyMarker(raw)).toBe(true);
  });

  it.each(['无锡某某有限公司', '暂无违法记录的说明', '0', 'N', 'NA', 'none', '/2019', '2019-03-05', '-2000', '无 无', '空白'])(
    '%j is a value',
    (raw) => {
      expect(isEmptyMarker(raw)).toBe(false);
    },
  );
});
