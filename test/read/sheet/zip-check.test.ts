import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { zipProblem } from '../../../src/read/sheet/zip-check.js';

const fixture = (name: string): Buffer => readFileSync(`fixtures/sheet/${name}`);

describe('zipProblem', () => {
  it('finds nothing wrong with a whole xlsx, compressed or stored', () => {
    expect(zipProblem(fixture('xlsx-two-subjects-two-sheets.xlsx'))).toBeUndefined();
    expect(zipProblem(fixture('xlsx-title-row-two-row-header-penalty.xlsx'))).toBeUndefined();
  });

  it('reports a zip cut short', () => {
    expect(zipProblem(fixture('xlsx-truncated-zip.xlsx'))).toBe('truncated: no central directory at the end of its 6241 bytes');
  });

  it('reports a stored entry whose bytes changed after it was written', () => {
    expect(zipProblem(fixture('xlsx-entry-fails-crc.xlsx'))).toBe('corrupt: entry xl/worksheets/sheet1.xml fails its CRC-32 check');
  });

  it('reports a deflated entry that no longer inflates (SheetJS alone would loop forever on it)', () => {
    const bytes = Buffer.from(fixture('xlsx-two-subjects-two-sheets.xlsx'));
    bytes.fill(0x55, 40, 400);
    expect(zipProblem(bytes)).toMatch(/^corrupt: entry xl\/_rels\/workbook\.xml\.rels does not inflate: ./);
  });
});
