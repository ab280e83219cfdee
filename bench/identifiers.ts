// Time per identifier check, the figure that matters when every ID cell of millions of rows is
// checked. Inputs: the conformance vectors as delivered (valid, invalid), and the valid ones made
// dirty the ways spreadsheets make them (lower case and spaces; full width, which costs an NFKC).
// Run: npx tsx bench/identifiers.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkIdentifier, type IdentifierType } from '../src/validate/identifiers/index.js';

const column = (file: string): string[] => readFileSync(`fixtures/conformance/${file}`, 'utf8').trimEnd().split('\n').map((line) => line.split('\t')[0]!);
const spaced = (codes: string[]): string[] => codes.map((c) => ` ${c.slice(0, 6)} ${c.slice(6).toLowerCase()} `);
const fullWidth = (codes: string[]): string[] => codes.map((c) => c.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)));

const uscc = column('cn-uscc-valid.txt');
const ids = [...column('cn-ric-valid.txt'), ...column('cn-ric-special-valid.txt'), ...column('cn-ric15-valid.txt')];
const phones = ['13812345678', '+86 138 1234 5678', '0752-2345678', '010-65123456转801', '(020)87654321'];
const cases: [IdentifierType, string, string[]][] = [
  ['uscc', 'valid', uscc],
  ['uscc', 'invalid', column('cn-uscc-invalid.txt')],
  ['uscc', 'spaced', spaced(uscc)],
  ['uscc', 'full-width', fullWidth(uscc)],
  ['resident-id', 'valid', ids],
  ['resident-id', 'invalid', column('cn-ric-invalid.txt')],
  ['resident-id', 'spaced', spaced(ids)],
  ['resident-id', 'full-width', fullWidth(ids)],
  ['org-code', 'valid', column('cn-orgcode-valid.txt')],
  ['reg-no', 'valid', column('cn-regno15-valid.txt')],
  ['tax-no', 'valid', uscc.map((c) => c.slice(2, 17))],
  ['phone', 'valid', phones],
];

function nsPerCheck(type: IdentifierType, values: string[], rounds: number): number {
  let accepted = 0;
  const t = performance.now();
  for (let r = 0; r < rounds; r++) for (const v of values) if (checkIdentifier(type, v).valid) accepted++;
  const ns = ((performance.now() - t) * 1e6) / (rounds * values.length);
  return accepted >= 0 ? ns : NaN; // uses the count so the loop cannot be optimised away
}

console.log(`identifier checks — node ${process.version}, ${process.platform}/${process.arch}; median of 5 runs of ~500k checks`);
for (const [type, label, values] of cases) {
  const rounds = Math.ceil(500_000 / values.length);
  nsPerCheck(type, values, rounds); // warm-up: let V8 optimise first
  const runs = Array.from({ length: 5 }, () => nsPerCheck(type, values, rounds)).sort((a, b) => a - b);
  console.log(`${type.padEnd(12)} ${label.padEnd(11)} ${String(values.length).padStart(4)} inputs ${runs[2]!.toFixed(0).padStart(6)} ns/check`);
}
