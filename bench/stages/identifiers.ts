// Stage 6a (micro): time per identifier check, the figure that matters when every ID cell of
// millions of rows is checked. Inputs: the conformance vectors as delivered (valid, invalid), and
// the valid ones made dirty the ways spreadsheets make them (lower case and spaces; full width,
// which costs an NFKC).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkIdentifier, type IdentifierType } from '../../src/validate/identifiers/index.js';
import { fullWidth } from '../full-width.js';
import { cycle, perSecond } from '../rate.js';
import { REPO_ROOT, stage } from '../stage.js';

const column = (file: string): string[] =>
  readFileSync(join(REPO_ROOT, 'fixtures/conformance', file), 'utf8').trimEnd().split('\n').map((line) => line.split('\t')[0]!);
const spaced = (codes: string[]): string[] => codes.map((c) => ` ${c.slice(0, 6)} ${c.slice(6).toLowerCase()} `);

const uscc = column('cn-uscc-valid.txt');
const ids = [...column('cn-ric-valid.txt'), ...column('cn-ric-special-valid.txt'), ...column('cn-ric15-valid.txt')];
const cases: [IdentifierType, Record<string, string[]>][] = [
  ['uscc', { valid: uscc, invalid: column('cn-uscc-invalid.txt'), spaced: spaced(uscc), 'full-width': uscc.map(fullWidth) }],
  ['resident-id', { valid: ids, invalid: column('cn-ric-invalid.txt'), spaced: spaced(ids), 'full-width': ids.map(fullWidth) }],
  ['org-code', { valid: column('cn-orgcode-valid.txt') }],
  ['reg-no', { valid: column('cn-regno15-valid.txt') }],
  ['tax-no', { valid: uscc.map((c) => c.slice(2, 17)) }],
  ['phone', { valid: ['13812345678', '+86 138 1234 5678', '0752-2345678', '010-65123456转801', '(020)87654321'] }],
];

await stage(() => [
  { label: 'identifier checks, conformance vectors', note: 'ns per check (CPU), by kind of input' },
  ...cases.map(([type, inputs]) => ({
    label: `  ${type}`,
    note: Object.entries(inputs).map(([kind, values]) => `${(1e9 / perSecond(cycle(values), (v) => checkIdentifier(type, v).valid)).toFixed(0)} ${kind}`).join(' · '),
  })),
]);
