import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvOptions, MAX_RECORD_BYTES, type Delimiter } from '../../../src/read/text/dialect.js';
import { lineBreaksIn } from '../../../src/read/text/lines.js';
import { RecordSplitter } from '../../../src/read/text/records.js';

/** csv-parse reading the whole text at once: what the splitter must hand on, piece by piece. */
function reference(text: string, delimiter: Delimiter): { records: string[][]; failure?: string } {
  let failure: CsvError | undefined;
  const records = parse(text, { ...csvOptions(delimiter), on_skip: (e) => void (failure ??= e) }) as string[][];
  return failure ? { records: records.slice(0, Number(failure.records)), failure: failure.code } : { records };
}

/** The splitter fed `pieces`: every record, the line each starts on, and the failure that ended it. */
function split(pieces: string[], delimiter: Delimiter): { records: string[][]; lines: number[]; failure?: string } {
  const splitter = new RecordSplitter(delimiter);
  const records: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  for (let i = 0; i < pieces.length; i++) {
    const got = splitter.push(pieces[i]!, i === pieces.length - 1);
    for (const cells of got.records) {
      records.push(cells);
      lines.push(line);
      line += got.oneLineEach ? 1 : 1 + lineBreaksIn(cells);
    }
    if (got.failure) return { records, lines, failure: got.failure.code };
  }
  return { records, lines };
}

/** Line numbers as lineBreaksIn counts them on every record: what the one-line shortcut must agree with. */
function linesOf(records: string[][]): number[] {
  let line = 1;
  return records.map((cells) => {
    const at = line;
    line += 1 + lineBreaksIn(cells);
    return at;
  });
}

/** The text cut in two at every position, and in pieces of 1 to 7 characters. */
function cuts(text: string): string[][] {
  const out: string[][] = [[text], [text, '']];
  for (let at = 0; at <= text.length; at++) out.push([text.slice(0, at), text.slice(at), '']);
  for (let size = 1; size <= 7; size++) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
    out.push([...pieces, '']);
  }
  return out;
}

function expectSameAsCsvParse(text: string, delimiter: Delimiter = ','): void {
  const want = reference(text, delimiter);
  for (const pieces of cuts(text)) {
    const got = split(pieces, delimiter);
    expect({ records: got.records, failure: got.failure }, JSON.stringify(pieces)).toEqual({ records: want.records, failure: want.failure });
    expect(got.lines, JSON.stringify(pieces)).toEqual(linesOf(want.records));
  }
}

describe('RecordSplitter: the records csv-parse reads from the whole text, however the text is cut', () => {
  it.each([
    ['CRLF, as Excel saves', '名称,代码\r\n甲公司,91441302MA5000006C\r\n乙公司,91441302MA50000222\r\n'],
    ['LF, no line break at the end', '名称,代码\n甲公司,1\n乙公司,2'],
    ['CR only, as old Mac tools save', '名称,代码\r甲公司,1\r\r乙公司,2\r'],
    ['CRLF, LF and CR in one file, blank lines of each', '名称,处罚\r\n甲,警告\n乙,罚款\r\r\n丙,罚款\n\n丁,警告\r'],
    ['quoted cells holding the delimiter, doubled quotes and every line break', '名称,事实\r\n"甲,公司","宣传""全市第一"""\r\n乙,"第一行\r\n第二行\n第三行\r第四行"\r\n丙,"末行"'],
    ['Alt+Enter in a CRLF file: a lone LF inside quotes', '名称,事实\r\n甲,"违法事实\n已责令改正"\r\n乙,警告\r\n'],
    ['Alt+Enter at the start and end of a cell, and a NUL before a CRLF in a cell', '名称,事实\r\n甲,"\n违法事实\n"\r\n乙,"c\0\r\nd"\r\n'],
    ['a lone LF ending a record after a quoted cell, and a blank line of one LF', '名称,事实\r\n甲,"警告"\n乙,罚款\r\n\n丙,警告\r\n'],
    ['a row of only empty cells, and empty quoted cells', '名称,代码,日期\r\n,,\r\n"","",""\r\n甲,,\r\n'],
    ['quotes standing inside unquoted cells, as typed', '名称,内容\r\n惠州市"鸿达"公司,销售12" 显示器\r\n某"某"公司,x\r\n'],
    ['a quoted cell that goes on after its closing quote', '名称,内容\r\n"惠州市粤惠电子科技有限公司"分公司,x\r\n"a"b,"c\r\nd"e\r\n乙,丙\r\n'],
    ['a quoted cell going on after its quote, then a well-quoted one', '名称,内容\r\n"a"b,x\r\n"c",d\r\n乙,丙\r\n'],
    ['a cell of two lines, then a last line with no line break', '名称,事实\r\n甲,"第一行\r\n第二行"\r\n乙,警告'],
    ['blanks after a closing quote, which csv-parse keeps as text', '名称,内容\r\n"甲" ,"乙"　\r\n"丙"\t,丁\r\n'],
    ['a quote opening a cell after the line break of another kind', '名称,内容\r\n甲\n"乙\r\n丙",丁\r\n戊,己\r\n'],
    ['a U+FEFF inside the text', '\ufeff名称,代码\r\n甲,\ufeff1\r\n'],
  ])('%s', (_, text) => expectSameAsCsvParse(text));

  it('reads tab-separated text with quotes before tabs', () => {
    expectSameAsCsvParse('名称\t内容\r\n"甲"\t"中成药\n生化药品"\r\n"乙" \t丙\r\n', '\t');
  });

  it('reads the pipe and the semicolon', () => {
    expectSameAsCsvParse('名称|内容\r\n"甲|乙"|丙\r\n', '|');
    expectSameAsCsvParse('名称;内容\n"甲;乙";丙\n', ';');
  });

  it('ends at a quote never closed, after every whole record before it', () => {
    expectSameAsCsvParse('名称,内容\r\n甲,警告\r\n乙,"未闭合\r\n丙,罚款\r\n');
  });

  it('reads a field of 200,000 characters spanning many pieces, and numbers the lines after it', () => {
    const long = `${'违法事实，'.repeat(20_000)}\r\n${'已责令改正。'.repeat(20_000)}`;
    const text = `名称,事实\r\n甲,"${long}"\r\n乙,警告\r\n`;
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += 30_000) pieces.push(text.slice(at, at + 30_000));
    const got = split([...pieces, ''], ',');
    expect(got.records).toEqual([['名称', '事实'], ['甲', long], ['乙', '警告']]);
    expect(got.lines).toEqual([1, 2, 4]);
  });

  it('refuses a record of more than MAX_RECORD_BYTES even when its quote is closed, as csv-parse does', () => {
    const text = `名称,内容\n甲,"${'未'.repeat(MAX_RECORD_BYTES / 3 + 100)}"\n乙,丙\n`;
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += 20_000) pieces.push(text.slice(at, at + 20_000));
    const got = split([...pieces, ''], ',');
    expect(got.records).toEqual([['名称', '内容']]);
    expect(got.failure).toBe('CSV_MAX_RECORD_SIZE');
  });

  it('refuses a record that runs past MAX_RECORD_BYTES, as csv-parse does', () => {
    const text = `名称,内容\n甲,"${'未闭合的引号\n'.repeat(MAX_RECORD_BYTES / 10)}`;
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += 20_000) pieces.push(text.slice(at, at + 20_000));
    const got = split([...pieces, ''], ',');
    expect(got.records).toEqual([['名称', '内容']]);
    expect(got.failure).toBe('CSV_MAX_RECORD_SIZE');
  });

  it('hands on cells that do not keep the piece they came from alive (copies, not slices)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[] = [];
    const splitter = new RecordSplitter(',');
    for (let i = 0; i < 300; i++) {
      const piece = `${i}${'惠州市鸿达五金制品有限公司,91441302MA5000006C\r\n'.repeat(1500)}`;
      kept.push(splitter.push(piece, false).records[0]![0]!);
    }
    gc();
    expect(kept[299]).toBe('299惠州市鸿达五金制品有限公司');
    // 300 pieces of 60,000 characters kept alive by their first cells would be 36 MB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * 2 ** 20);
  });
});
