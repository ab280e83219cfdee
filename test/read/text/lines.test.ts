import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { LineCounter, lineBreaksIn, lineOfByte } from '../../../src/read/text/lines.js';

describe('LineCounter', () => {
  it('counts CRLF, lone LF and lone CR as one line break each, as a text editor does', () => {
    const c = new LineCounter();
    c.feed('a\r\nb\nc\rd\n\re');
    expect(c.line).toBe(6);
  });

  it('counts a CRLF split between two pieces once', () => {
    const c = new LineCounter();
    c.feed('甲\r');
    c.feed('\n乙\r');
    c.feed('丙');
    expect(c.line).toBe(3);
  });
});

describe('lineBreaksIn', () => {
  it('adds up the line breaks inside a record’s cells', () => {
    expect(lineBreaksIn(['惠州市', '第一行\r\n第二行\n第三行', '旧式\r换行'])).toBe(3);
    expect(lineBreaksIn(['惠州市', '罚款2000元'])).toBe(0);
  });

  it('does not pair a CR ending one cell with an LF starting the next', () => {
    expect(lineBreaksIn(['a\r', '\nb'])).toBe(2);
  });
});

describe('lineOfByte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the line of a byte offset in a GBK file with mixed line ends', async () => {
    const path = join(dir, 'gbk.csv');
    const text = '名称,代码\r\n甲公司,1\n乙公司,2\r丙公司,3';
    writeFileSync(path, iconv.encode(text, 'gbk'));
    const offsetOf = (s: string): number => iconv.encode(text.slice(0, text.indexOf(s)), 'gbk').length;
    expect(await lineOfByte(path, 0, 'gbk')).toBe(1);
    expect(await lineOfByte(path, offsetOf('甲'), 'gbk')).toBe(2);
    expect(await lineOfByte(path, offsetOf('乙'), 'gbk')).toBe(3);
    expect(await lineOfByte(path, offsetOf('丙') + 2, 'gbk')).toBe(4);
  });

  it('counts UTF-16 line breaks by code unit, not by byte', async () => {
    const path = join(dir, 'utf16.txt');
    // 上 is U+4E0A: its low byte is 0x0A, which a byte counter would take for a line feed.
    const bytes = iconv.encode('上上上\r\n许可', 'utf-16le', { addBOM: true });
    writeFileSync(path, bytes);
    expect(await lineOfByte(path, 2 + 2 * 2, 'utf-16le')).toBe(1);
    expect(await lineOfByte(path, 2 + 2 * 5, 'utf-16le')).toBe(2);
  });
});
