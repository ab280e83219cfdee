import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { scanGb18030, scanUtf8, utf16Scanner, type Scanner } from '../../../src/read/text/scan.js';

/** What the platform decoder says about `bytes`: invalid somewhere, or valid but cut off, or whole. */
function reference(encoding: string, bytes: Uint8Array): 'invalid' | 'cut' | 'whole' {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return 'invalid';
  }
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return 'whole';
  } catch {
    return 'cut';
  }
}

function verdict(scan: Scanner, bytes: Uint8Array): 'invalid' | 'cut' | 'whole' {
  const s = scan(bytes);
  return s.invalid >= 0 ? 'invalid' : s.whole < bytes.length ? 'cut' : 'whole';
}

function disagreements(encoding: string, scan: Scanner, inputs: Iterable<number[]>): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    const bytes = Uint8Array.from(input);
    const [mine, theirs] = [verdict(scan, bytes), reference(encoding, bytes)];
    if (mine !== theirs) out.push(`${Buffer.from(bytes).toString('hex')}: scanner ${mine}, TextDecoder ${theirs}`);
  }
  return out;
}

function* pairs(): Generator<number[]> {
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) yield [a, b];
}

/** A deterministic generator of short byte runs made of the values where encodings draw lines. */
function* fuzz(values: number[], count: number): Generator<number[]> {
  let seed = 12345;
  const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < count; i++) yield Array.from({ length: 1 + next(7) }, () => values[next(values.length)]!);
}
const UTF8_EDGES = [0x00, 0x2c, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];

describe('scanUtf8', () => {
  it('agrees with TextDecoder (fatal) on every two-byte input', () => {
    expect(disagreements('utf-8', scanUtf8, pairs())).toEqual([]);
  });

  it('agrees with TextDecoder on 20,000 short runs of boundary bytes (overlongs, surrogates, past U+10FFFF)', () => {
    expect(disagreements('utf-8', scanUtf8, fuzz(UTF8_EDGES, 20_000))).toEqual([]);
  });

  it('names the first bad byte: everything before it decodes, and the sequence it starts does not', () => {
    for (const input of fuzz(UTF8_EDGES, 5_000)) {
      const bytes = Uint8Array.from(input);
      const { invalid, whole } = scanUtf8(bytes);
      if (invalid < 0) continue;
      expect(whole).toBe(invalid);
      expect(reference('utf-8', bytes.subarray(0, invalid))).not.toBe('invalid');
      expect(reference('utf-8', bytes.subarray(0, Math.min(bytes.length, invalid + 4)))).toBe('invalid');
    }
  });

  it('stops before a character cut off at the end', () => {
    expect(scanUtf8(Buffer.from('行政处罚', 'utf8').subarray(0, 10))).toEqual({ whole: 9, invalid: -1 });
  });
});

describe('scanGb18030', () => {
  it('agrees with TextDecoder("gb18030", fatal) on every one- and two-byte input', () => {
    expect(disagreements('gb18030', scanGb18030, pairs())).toEqual([]);
  });

  it('agrees with TextDecoder on every four-byte sequence under the leads where the valid ranges end', () => {
    function* fourByte(): Generator<number[]> {
      for (const a of [0x84, 0x85, 0x8f, 0x90, 0xe3, 0xe4]) {
        for (let b = 0x2f; b <= 0x3a; b++) for (let c = 0x80; c <= 0xff; c++) for (const d of [0x2f, 0x30, 0x35, 0x36, 0x39, 0x3a]) yield [a, b, c, d];
      }
    }
    expect(disagreements('gb18030', scanGb18030, fourByte())).toEqual([]);
  });

  it('agrees with TextDecoder on boundary third and fourth bytes under every lead', () => {
    function* sampled(): Generator<number[]> {
      for (let a = 0x81; a <= 0xfe; a++) {
        for (let b = 0x30; b <= 0x39; b++) for (const c of [0x80, 0x81, 0xa0, 0xfe, 0xff]) for (const d of [0x2f, 0x30, 0x39, 0x3a]) yield [a, b, c, d];
      }
    }
    expect(disagreements('gb18030', scanGb18030, sampled())).toEqual([]);
  });

  it('accepts only sequences iconv-lite (which decodes the sniffed start) turns into real characters', () => {
    const replaced: string[] = [];
    for (const [a, b] of pairs()) {
      const bytes = Buffer.from([a!, b!]);
      if (verdict(scanGb18030, bytes) === 'whole' && iconv.decode(bytes, 'gb18030').includes('\ufffd')) replaced.push(bytes.toString('hex'));
    }
    expect(replaced).toEqual([]);
  });

  it('reads real GBK and four-byte GB18030 text whole', () => {
    const text = '惠州市市场监督管理局，罚款€2000元；𠮷祥餐饮、㐂乐食品';
    for (const bytes of [iconv.encode('惠州市市场监督管理局', 'gbk'), iconv.encode(text, 'gb18030')]) {
      expect(scanGb18030(bytes)).toEqual({ whole: bytes.length, invalid: -1 });
    }
  });
});

describe('utf16Scanner', () => {
  const le = utf16Scanner(true);
  const be = utf16Scanner(false);

  it('reads surrogate pairs whole and stops before half a unit or half a pair', () => {
    const bytes = iconv.encode('许可𠮷', 'utf-16le');
    expect(le(bytes)).toEqual({ whole: 8, invalid: -1 });
    expect(le(bytes.subarray(0, 7))).toEqual({ whole: 4, invalid: -1 });
    expect(le(bytes.subarray(0, 6))).toEqual({ whole: 4, invalid: -1 });
    expect(be(iconv.encode('许可𠮷', 'utf-16be'))).toEqual({ whole: 8, invalid: -1 });
  });

  it('rejects a lone low surrogate and a high surrogate not followed by a low one', () => {
    expect(le(Buffer.from([0x41, 0x00, 0x00, 0xdc]))).toEqual({ whole: 2, invalid: 2 });
    expect(be(Buffer.from([0xd8, 0x42, 0x00, 0x41]))).toEqual({ whole: 0, invalid: 0 });
  });
});
