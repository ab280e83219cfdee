import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/index.js';
import { DeliveryError, type GridRow } from '../../../src/read/model.js';
import { csvOptions } from '../../../src/read/text/dialect.js';
import { openTextGrid } from '../../../src/read/text/index.js';
import { lineBreaksIn } from '../../../src/read/text/lines.js';

const fixture = (name: string): string => `fixtures/text/${name}`;
const itemNames = (subject: string): string[] => loadCatalog('v2').subjects.find((s) => s.code === subject)!.items.map((i) => i.name);
const PENALTY = itemNames('XZCF');
const LICENSING = itemNames('XZXK');

async function read(path: string) {
  const { meta, grid } = await openTextGrid(path);
  const rows: GridRow[] = [];
  for await (const row of grid.rows) rows.push(row);
  return { meta, name: grid.name, rows, at: (row: number) => rows.find((r) => r.row === row)!.cells };
}

/** The error opening or reading `path` throws, and the rows it yielded before. */
async function failure(path: string): Promise<{ error: unknown; rows: GridRow[] }> {
  const rows: GridRow[] = [];
  try {
    const { grid } = await openTextGrid(path);
    for await (const row of grid.rows) rows.push(row);
  } catch (error) {
    return { error, rows };
  }
  throw new Error(`${path} was read without error`);
}

const tmp = mkdtempSync(join(tmpdir(), 'text-grid-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function temp(name: string, bytes: Buffer | string): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('openTextGrid: encodings', () => {
  it('reads UTF-8 without BOM: 行政处罚 header from catalog v2, a quoted cell holding a comma', async () => {
    const { meta, name, rows, at } = await read(fixture('utf8-penalty.csv'));
    expect(meta).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(name).toBe('utf8-penalty.csv');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(at(1)).toEqual(PENALTY);
    expect(at(2).slice(0, 3)).toEqual(['惠州市鸿达五金制品有限公司', '法人及非法人组织', '91441302MA5000006C']);
    expect(at(4)[PENALTY.indexOf('违法事实')]).toBe('当事人分两批(A,B)销售不合格插座，货值金额共计3600元。');
    expect(rows.every((r) => r.cells.length === 30)).toBe(true);
  });

  it('reads UTF-8 with BOM (Excel "CSV UTF-8"), the BOM kept out of the first cell', async () => {
    const { meta, rows, at } = await read(fixture('utf8-bom-penalty.csv'));
    expect(meta).toEqual({ format: 'csv', encoding: 'utf-8-bom', delimiter: ',' });
    expect(rows).toHaveLength(6);
    expect(at(1)[0]).toBe('行政相对人名称');
    expect(at(2).slice(0, 3)).toEqual(['惠州市德润物流有限公司', '法人及非法人组织', '91441302MA5000102M']);
  });

  it('reads GBK as GB18030 and hands on every record: title row, header, data, blank row, trailing note', async () => {
    const { meta, rows, at } = await read(fixture('gbk-title-row-penalty.csv'));
    expect(meta).toEqual({ format: 'csv', encoding: 'gb18030', delimiter: ',' });
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(at(1)).toEqual(['惠州市市场监督管理局行政处罚信息（2019年第3季度）', ...Array(29).fill('')]);
    expect(at(2)).toEqual(PENALTY);
    expect(at(3).slice(0, 3)).toEqual(['惠州市联创食品贸易有限公司', '法人及非法人组织', '91441302MA50002091']);
    expect(at(12).slice(0, 2)).toEqual(['林晓东', '自然人']);
    expect(at(12)[PENALTY.indexOf('违法事实')]).toBe('当事人未按照规定的期限公示2018年度报告，经责令仍未改正。');
    expect(at(13)).toEqual(Array(30).fill(''));
    expect(at(14)[0]).toBe('注：本表数据截至2019年9月30日，罚款金额单位为万元。');
  });

  it('reads GB18030 four-byte characters (𠮷, 㐂) in a tab-separated 行政许可 file as TSV', async () => {
    const { meta, rows, at } = await read(fixture('gb18030-licensing.tsv'));
    expect(meta).toEqual({ format: 'tsv', encoding: 'gb18030', delimiter: '\t' });
    expect(at(1)).toEqual(LICENSING);
    expect(at(2)[0]).toBe('惠州市𠮷祥餐饮管理有限公司');
    expect(at(3)[LICENSING.indexOf('许可内容')]).toBe('中成药、化学药制剂\n生化药品（冷藏）');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(at(5)[0]).toBe('惠州市㐂乐食品商行有限公司');
  });

  it('reads Excel "Unicode text" (UTF-16LE, BOM, tabs) with its doubled quotes and line breaks', async () => {
    const { meta, rows, at } = await read(fixture('utf16le-bom-unicode-text.txt'));
    expect(meta).toEqual({ format: 'tsv', encoding: 'utf-16le', delimiter: '\t' });
    expect(at(1)).toEqual(PENALTY);
    expect(at(2)[PENALTY.indexOf('违法事实')]).toBe('当事人在微信公众号发布"全市销量第一"等无法证实的内容。');
    expect(at(3)[PENALTY.indexOf('处罚内容')]).toBe('警告\n并处罚款人民币20000元');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 5, 6]);
  });

  it('reads UTF-16BE with BOM', async () => {
    const { meta, rows, at } = await read(fixture('utf16be-bom-penalty.csv'));
    expect(meta).toEqual({ format: 'csv', encoding: 'utf-16be', delimiter: ',' });
    expect(rows).toHaveLength(4);
    expect(at(2).slice(0, 2)).toEqual(['惠州市罗浮餐饮管理有限公司', '法人及非法人组织']);
  });

  it('reads GBK whose first non-ASCII byte comes after the first 64 KiB', async () => {
    const ascii = Array.from({ length: 2000 }, (_, i) => `ROW${i},91441302MA5000006C,2019-09-01`).join('\r\n');
    const path = temp('gbk-late-chinese.csv', iconv.encode(`CF_XDR_MC,CF_XDR_SHXYM,CF_JDRQ\r\n${ascii}\r\n惠州市鸿达五金制品有限公司,91441302MA5000006C,2019-09-01\r\n`, 'gbk'));
    const { meta, rows } = await read(path);
    expect(meta.encoding).toBe('gb18030');
    expect(rows.at(-1)).toEqual({ row: 2002, cells: ['惠州市鸿达五金制品有限公司', '91441302MA5000006C', '2019-09-01'] });
  });
});

describe('openTextGrid: delimiters', () => {
  it('finds the semicolon; commas inside cells stay text', async () => {
    const { meta, at } = await read(fixture('semicolon-delimited.csv'));
    expect(meta).toEqual({ format: 'csv', encoding: 'utf-8', delimiter: ';' });
    expect(at(4)).toEqual(['惠州市东江食品贸易有限公司', '91441302MA5000030W', '销售过期食品,货值300元', '罚款5000元,没收违法所得', '2019-09-03']);
  });

  it('finds the pipe in GBK and splits after decoding: 質 (D9 7C) ends in the byte of "|"', async () => {
    const { meta, rows, at } = await read(fixture('gbk-pipe-delimited.txt'));
    expect(meta).toEqual({ format: 'csv', encoding: 'gb18030', delimiter: '|' });
    expect(rows.every((r) => r.cells.length === 4)).toBe(true);
    expect(at(2)).toEqual(['惠州市金質五金制品有限公司', '91441302MA5000057L', '惠市监罚字〔2019〕1001号', '罚款2000元']);
  });
});

describe('openTextGrid: records and line numbers', () => {
  it('numbers each record by the line it starts on, past cells with LF, CRLF and CR inside quotes', async () => {
    const { rows } = await read(fixture('quoted-embedded-newlines.csv'));
    expect(rows).toEqual([
      { row: 1, cells: ['行政相对人名称', '处罚决定书文号', '违法事实', '处罚内容'] },
      { row: 2, cells: ['惠州市鸿达五金制品有限公司', '惠市监罚字〔2019〕1001号', '当事人销售不合格插座\n货值金额共计3600元\n已责令改正', '罚款2000元'] },
      { row: 5, cells: ['惠州市粤惠电子科技有限公司', '惠市监罚字〔2019〕1002号', '宣传"全市第一"', '警告'] },
      { row: 6, cells: [''] },
      { row: 7, cells: ['陈伟', '惠市监罚字〔2019〕1003号', '第一行\r\n第二行', '罚款500元'] },
      { row: 9, cells: ['李秀英', '惠市监罚字〔2019〕1004号', '旧式换行\r第二行', '警告'] },
      { row: 11, cells: ['张建华', '惠市监罚字〔2019〕1005号', '逗号,在引号内', ''] },
    ]);
  });

  it('breaks lines at CRLF, LF and CR alike in one file; a blank line is a row with cells [""]', async () => {
    const { rows } = await read(fixture('mixed-line-endings.csv'));
    expect(rows).toEqual([
      { row: 1, cells: ['行政相对人名称', '处罚内容'] },
      { row: 2, cells: ['甲公司', '警告'] },
      { row: 3, cells: ['乙公司', '罚款'] },
      { row: 4, cells: [''] },
      { row: 5, cells: ['丙公司', '罚款'] },
      { row: 6, cells: [''] },
      { row: 7, cells: ['丁公司', '警告'] },
    ]);
  });

  it('hands on ragged rows as they are, shorter and longer', async () => {
    const { rows, at } = await read(fixture('ragged-rows.csv'));
    expect(rows.map((r) => r.cells.length)).toEqual([5, 5, 3, 7, 5]);
    expect(at(3)).toEqual(['惠州市粤惠电子科技有限公司', '91441302MA50000222', '惠市监罚字〔2019〕1002号']);
    expect(at(4).slice(5)).toEqual(['多出的单元格', '']);
  });

  it('keeps quotes that stand inside unquoted cells as typed', async () => {
    const { at } = await read(fixture('stray-quotes.csv'));
    expect(at(2)).toEqual(['惠州市"鸿达"五金制品有限公司', '销售12" 显示器', '罚款2000元']);
    expect(at(3)[0]).toBe('"惠州市粤惠电子科技有限公司"分公司');
    expect(at(4)[1]).toBe('销售"过期"食品');
  });

  it('yields the header of a header-only file and nothing more (the shaping stage calls it file/header-only)', async () => {
    const { meta, rows } = await read(fixture('header-only.csv'));
    expect(meta.encoding).toBe('gb18030');
    expect(rows).toEqual([{ row: 1, cells: PENALTY }]);
  });

  it('reads the file afresh on each iteration of grid.rows', async () => {
    const { grid } = await openTextGrid(fixture('mixed-line-endings.csv'));
    const first: GridRow[] = [];
    for await (const row of grid.rows) {
      first.push(row);
      if (first.length === 2) break;
    }
    const again: GridRow[] = [];
    for await (const row of grid.rows) again.push(row);
    expect(first.map((r) => r.row)).toEqual([1, 2]);
    expect(again.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('openTextGrid: files that cannot be read', () => {
  it('file/empty for 0 bytes and for a lone BOM', async () => {
    for (const [name, message] of [
      ['empty-0-bytes.csv', 'the file has 0 bytes'],
      ['utf8-bom-only.csv', 'the file holds only a byte-order mark (utf-8-bom), no text'],
    ]) {
      const { error } = await failure(fixture(name!));
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ code: 'file/empty', file: fixture(name!), message: `${fixture(name!)}: ${message}` });
    }
  });

  it('file/binary for a PNG, an xlsx, UTF-16 without BOM and a terminal log saved as .csv', async () => {
    const cases = {
      'binary-png-named.csv': 'the file is a PNG image',
      'binary-xlsx-named.csv': 'the file is a zip archive (an .xlsx workbook is one)',
      'utf16le-no-bom.csv': 'a NUL character (0x00) at offset 15',
      'ansi-terminal-log-named.csv': '60 control characters in the first 1010 bytes, the first 0x1B at offset 0',
    };
    for (const [name, what] of Object.entries(cases)) {
      const { error } = await failure(fixture(name));
      expect(error, name).toMatchObject({ code: 'file/binary', message: `${fixture(name)}: binary content where text was expected: ${what}` });
    }
  });

  it('file/encoding naming line and byte offset for Shift_JIS bytes GB18030 cannot decode', async () => {
    const { error } = await failure(fixture('not-any-encoding.csv'));
    expect(error).toMatchObject({
      code: 'file/encoding',
      message: `${fixture('not-any-encoding.csv')}: line 3: the bytes at offset 105 (C4 2C 8E 77) start no GB18030 character; the file is not UTF-8 either (from offset 0) and has no UTF-16 byte-order mark, so it is in no encoding credit-etl reads`,
    });
  });

  it('file/encoding for Shift_JIS text that GB18030 would decode into unrelated characters', async () => {
    const { error } = await failure(fixture('shift-jis-reads-as-gbk.csv'));
    expect(error).toMatchObject({
      code: 'file/encoding',
      message: expect.stringMatching(/^fixtures\/text\/shift-jis-reads-as-gbk\.csv: line 1: the text from offset 0 on reads as Shift_JIS \(chardet confidence \d+, GB18030 \d+\), an encoding credit-etl does not read/),
    });
  });

  it('file/encoding during iteration for a bad byte past the sniffed 64 KiB', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `惠州市鸿达五金制品有限公司${i},罚款2000元,惠州市市场监督管理局`).join('\r\n');
    const good = iconv.encode(`行政相对人名称,处罚内容,处罚机关\r\n${rows}\r\n`, 'gbk');
    expect(good.length).toBeGreaterThan(64 * 1024);
    const path = temp('gbk-bad-byte-late.csv', Buffer.concat([good, Buffer.from([0xff]), iconv.encode(',警告\r\n', 'gbk')]));
    const { error } = await failure(path);
    expect(error).toMatchObject({
      code: 'file/encoding',
      message: `${path}: line 1202: the bytes at offset ${good.length} (FF 2C BE AF) start no GB18030 character, though the start of the file is gb18030: the file mixes encodings or is damaged`,
    });
  });

  it('file/corrupt at the line of a quote never closed, after yielding every whole record before it', async () => {
    const { error, rows } = await failure(fixture('unclosed-quote.csv'));
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3]);
    expect(rows[2]!.cells[1]).toBe('未公示年度报告\r\n经责令仍未改正');
    expect(error).toMatchObject({
      code: 'file/corrupt',
      message: `${fixture('unclosed-quote.csv')}: line 5: the quote opening column 2 of the record starting here is never closed, so the rest of the file is one cell`,
    });
  });

  it('file/corrupt, not an unbounded cell, when an unclosed quote runs on for more than 1 MiB', async () => {
    const tail = Array.from({ length: 40_000 }, (_, i) => `惠州市某某有限公司${i},罚款`).join('\n');
    const path = temp('unclosed-quote-long.csv', `名称,内容\n甲公司,警告\n乙公司,"未闭合\n${tail}\n`);
    const { error, rows } = await failure(path);
    expect(rows.map((r) => r.row)).toEqual([1, 2]);
    expect(error).toMatchObject({
      code: 'file/corrupt',
      message: `${path}: line 3: the record starting here runs past 1048576 bytes without ending; the quote opening column 2 is most likely never closed`,
    });
  });
});

describe('openTextGrid: records across the 64 KiB chunks the file is read in', () => {
  const CHUNK = 64 * 1024;
  /** GBK text whose encoded bytes reach `offset` exactly, padded with ASCII in one cell of a row of its own. */
  function padTo(text: string, offset: number): string {
    const short = offset - iconv.encode(text, 'gb18030').length - 'pad,\r\n'.length;
    if (short < 0) throw new Error(`the text is already past offset ${offset}`);
    return `${text}pad,${'x'.repeat(short)}\r\n`;
  }
  const filler = (from: number, count: number): string =>
    Array.from({ length: count }, (_, i) => `惠州市鸿达五金制品有限公司${from + i},罚款2000元\r\n`).join('');

  it('joins characters, quoted cells and CRLFs that a chunk boundary cuts, and counts lines across them', async () => {
    const gb = (s: string): Buffer => iconv.encode(s, 'gb18030');
    let text = `行政相对人名称,处罚内容\r\n${filler(0, 1000)}`;
    // 罚 (B7 A3) cut after its first byte.
    text = `${padTo(text, CHUNK - 1)}罚款,警告\r\n`;
    // 𠮷 (95 34 B2 35) cut after its first byte.
    text = `${padTo(`${text}${filler(1000, 1000)}`, 2 * CHUNK - 1)}𠮷祥餐饮,警告\r\n`;
    // A quoted cell of three lines, the boundary between the CR and the LF of its first line break.
    text = `${padTo(`${text}${filler(2000, 1000)}`, 3 * CHUNK - 1 - gb('甲公司,"第一行').length)}甲公司,"第一行\r\n第二行\n第三行"\r\n`;
    // A record's own CRLF cut between its CR and LF: no blank row in between.
    text = `${padTo(`${text}${filler(3000, 1000)}`, 4 * CHUNK - gb('乙公司,警告\r').length)}乙公司,警告\r\n丙公司,罚款\r\n`;
    const bytes = gb(text);
    const across = (chunk: number): string => bytes.subarray(chunk * CHUNK - 1, chunk * CHUNK + 1).toString('hex');
    expect([across(1), across(2), across(3), across(4)]).toEqual(['b7a3', '9534', '0d0a', '0d0a']);
    const path = temp('gb18030-chunk-boundaries.csv', bytes);

    const { rows } = await read(path);
    const want = parse(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(rows.map((r) => r.cells)).toEqual(want);
    const at = (cell: string): GridRow => rows.find((r) => r.cells[0] === cell)!;
    expect(at('罚款').cells).toEqual(['罚款', '警告']);
    expect(at('𠮷祥餐饮').cells).toEqual(['𠮷祥餐饮', '警告']);
    expect(at('甲公司').cells).toEqual(['甲公司', '第一行\r\n第二行\n第三行']);
    // Every record is one line but the quoted one, which is three.
    const jia = rows.indexOf(at('甲公司'));
    expect(rows.map((r) => r.row)).toEqual(rows.map((_, i) => (i <= jia ? i + 1 : i + 3)));
    expect(rows.at(-1)).toEqual({ row: rows.length + 2, cells: ['丙公司', '罚款'] });
  });

  it('reads a file of lone CRs (old Mac tools), a CR inside a quoted cell counted as a line', async () => {
    const text = `行政相对人名称,处罚内容\r${filler(0, 3000).replaceAll('\r\n', '\r')}甲公司,"旧式\r换行"\r乙公司,警告\r`;
    const path = temp('gbk-cr-only.csv', iconv.encode(text, 'gbk'));
    const { rows } = await read(path);
    expect(rows).toHaveLength(3003);
    expect(rows.at(-2)).toEqual({ row: 3002, cells: ['甲公司', '旧式\r换行'] });
    expect(rows.at(-1)).toEqual({ row: 3004, cells: ['乙公司', '警告'] });
  });

  it('reads Alt+Enter cells (a lone LF inside quotes in a CRLF file) and a cell going on after its quote, far into the file', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) =>
      i % 7 === 3 ? `惠州市某某有限公司${i},"违法事实第一行\n第二行",罚款\r\n`
      : i === 2500 ? `"惠州市粤惠电子科技有限公司"分公司,"a" ,b\r\n`
      : `惠州市鸿达五金制品有限公司${i},"销售12"" 显示器",警告\r\n`);
    const text = `行政相对人名称,违法事实,处罚内容\r\n${rows.join('')}`;
    const path = temp('gbk-alt-enter.csv', iconv.encode(text, 'gbk'));
    const got = await read(path);
    const want = parse(text, csvOptions(',')) as string[][];
    expect(got.rows.map((r) => r.cells)).toEqual(want);
    let line = 1;
    expect(got.rows.map((r) => r.row)).toEqual(want.map((cells) => { const at = line; line += 1 + lineBreaksIn(cells); return at; }));
    expect(got.rows.find((r) => r.cells[0]!.includes('分公司'))!.cells).toEqual(['"惠州市粤惠电子科技有限公司"分公司', '"a" ', 'b']);
  });

  it('keeps a U+FEFF after the byte-order mark as text, as it was typed', async () => {
    const path = temp('utf8-two-boms.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\ufeff名称,代码\r\n甲,1\r\n', 'utf8')]));
    const { meta, rows } = await read(path);
    expect(meta.encoding).toBe('utf-8-bom');
    expect(rows[0]!.cells).toEqual(['\ufeff名称', '代码']);
  });

  it('reads a row of only empty cells as that many empty cells', async () => {
    const { rows } = await read(temp('empty-cells.csv', iconv.encode('名称,代码,日期\r\n,,\r\n甲,1,2019-09-01\r\n', 'gbk')));
    expect(rows.map((r) => r.cells)).toEqual([['名称', '代码', '日期'], ['', '', ''], ['甲', '1', '2019-09-01']]);
  });

  it('decodes the 18 characters GB18030-2022 moved out of the private use area as those characters', async () => {
    // FE59 and A6D9: U+9FB4 and U+FE10 since GB18030-2022 (TextDecoder); iconv-lite still says U+E81E, U+E78D.
    const path = temp('gb18030-2022.csv', Buffer.concat([iconv.encode('名称,代码\r\n甲', 'gbk'), Buffer.from([0xfe, 0x59, 0xa6, 0xd9]), iconv.encode(',1\r\n', 'gbk')]));
    const { meta, rows } = await read(path);
    expect(meta.encoding).toBe('gb18030');
    expect(rows[1]!.cells[0]).toBe('甲\u9fb4\ufe10');
  });
});
