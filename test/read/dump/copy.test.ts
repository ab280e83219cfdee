import { describe, expect, it } from 'vitest';
import { copyFields } from '../../../src/read/dump/copy.js';

const fields = (line: string): Array<string | null> | string => {
  const out = copyFields(Buffer.from(line, 'latin1'));
  return typeof out === 'string' ? out : out.map((f) => (f === null ? null : f.toString('utf8')));
};

describe('copyFields', () => {
  it('splits on raw tabs only: a backslash before a tab makes it data', () => {
    expect(fields('a\tb\\\tc\t')).toEqual(['a', 'b\tc', '']);
  });

  it('reads \\N as NULL only when it is the whole field', () => {
    expect(fields('\\N\t\\Nx\tx\\N\t\\\\N\t\\N')).toEqual([null, 'Nx', 'xN', '\\N', null]);
  });

  it('turns octal and hex escapes into bytes of one UTF-8 character', () => {
    expect(fields('\\345\\274\\240\t\\xe5\\xbc\\xa0\t\\101\\x4\\x')).toEqual(['张', '张', 'A\u0004x']);
  });

  it('gives an empty line one empty field and names a lone trailing backslash', () => {
    expect(fields('')).toEqual(['']);
    expect(fields('a\tb\\')).toBe('the line ends in a lone backslash');
  });
});
