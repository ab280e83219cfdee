import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { bomOf, chooseEncoding, foreignEncoding } from '../../../src/read/text/encoding.js';

const catalogText = readFileSync('catalog/v2/shared/xzcf.yaml', 'utf8');
const messages = (locale: string): string =>
  Object.values(JSON.parse(readFileSync(`node_modules/typescript/lib/${locale}/diagnosticMessages.generated.json`, 'utf8')) as Record<string, string>).join('\n');
/** The first `bytes` bytes of `text` in `encoding`. */
const sampleOf = (text: string, encoding: string, bytes = 4000): Buffer => iconv.encode(text, encoding).subarray(0, bytes);

describe('bomOf', () => {
  it('names UTF-8, UTF-16LE and UTF-16BE byte-order marks and their lengths', () => {
    expect(bomOf(iconv.encode('许可', 'utf-8', { addBOM: true }))).toEqual({ encoding: 'utf-8-bom', length: 3 });
    expect(bomOf(iconv.encode('许可', 'utf-16le', { addBOM: true }))).toEqual({ encoding: 'utf-16le', length: 2 });
    expect(bomOf(iconv.encode('许可', 'utf-16be', { addBOM: true }))).toEqual({ encoding: 'utf-16be', length: 2 });
    expect(bomOf(iconv.encode('许可', 'gbk'))).toBeUndefined();
  });
});

describe('chooseEncoding', () => {
  it('takes bytes valid as UTF-8 for UTF-8, even when the sample cuts the last character', () => {
    const bytes = Buffer.from(catalogText, 'utf8');
    expect(chooseEncoding(bytes.subarray(0, 4001), 0, false)).toEqual({ encoding: 'utf-8' });
  });

  it('takes GBK bytes for GB18030', () => {
    expect(chooseEncoding(sampleOf(catalogText, 'gbk'), 0, false)).toEqual({ encoding: 'gb18030' });
  });

  it('reads an all-ASCII file (an empty sample) as UTF-8', () => {
    expect(chooseEncoding(Buffer.alloc(0), 0, true)).toEqual({ encoding: 'utf-8' });
  });

  it('names the first byte that is no GB18030 character, by file offset, when the bytes are not UTF-8 either', () => {
    // 会社名 and , are 7 bytes; the half-width ｻｸ pair up as one GB18030 character, ﾗ (D7) and the comma do not.
    const sjis = iconv.encode('会社名,ｻｸﾗ,指示処分', 'shift_jis');
    const verdict = chooseEncoding(sjis, 100, true);
    expect(verdict).toEqual({
      problem: {
        offset: 109,
        validBefore: 'gb18030',
        detail: 'the bytes at offset 109 (D7 2C 8E 77) start no GB18030 character; the file is not UTF-8 either (from offset 100) and has no UTF-16 byte-order mark, so it is in no encoding credit-etl reads',
      },
    });
  });

  it('says when the file ends inside a character', () => {
    const cut = iconv.encode('行政处罚', 'gbk').subarray(0, 7);
    expect(chooseEncoding(cut, 0, true)).toMatchObject({ problem: { offset: 6, detail: expect.stringContaining('the file ends inside a GB18030 character at offset 6 (B7)') } });
  });

  it('rejects Shift_JIS, EUC-KR and Big5 text that is valid GB18030 byte for byte', () => {
    for (const [locale, encoding, name] of [['ja', 'shift_jis', 'Shift_JIS'], ['ko', 'euc-kr', 'EUC-KR'], ['zh-tw', 'big5', 'Big5']] as const) {
      const sample = sampleOf(messages(locale).slice(5000), encoding);
      const verdict = chooseEncoding(sample, 0, false);
      expect(verdict, locale).toMatchObject({ problem: { offset: 0, detail: expect.stringContaining(`reads as ${name}`) } });
    }
  });
});

describe('foreignEncoding', () => {
  it('calls no 2 KB window of real Chinese text (catalog v2, TypeScript zh-cn) foreign', () => {
    const flagged: number[] = [];
    for (const text of [catalogText, messages('zh-cn')]) {
      for (let at = 0; at + 3000 < text.length && at < 300_000; at += 1500) {
        if (foreignEncoding(iconv.encode(text.slice(at, at + 1500), 'gbk').subarray(0, 2000))) flagged.push(at);
      }
    }
    expect(flagged).toEqual([]);
  });

  it('trusts GB18030 when the sample has fewer than 200 non-ASCII bytes: too little for chardet', () => {
    const short = iconv.encode('会社名,所在地\r\n株式会社さくら商事,東京都千代田区\r\n', 'shift_jis');
    expect(foreignEncoding(short)).toBeUndefined();
    expect(foreignEncoding(short, 0)).toMatchObject({ name: 'Shift_JIS' });
  });
});
