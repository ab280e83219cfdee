// Copies the shared conformance vectors (../shared/conformance, gathered from peer test suites and
// the standards' worked examples) into fixtures/conformance/ byte for byte, so the repository's
// identifier tests run on a clean clone without the shared folder.
// Run: npx tsx scripts/copy-conformance-fixtures.ts [source folder]
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2] ?? '../shared/conformance';
const target = 'fixtures/conformance';
mkdirSync(target, { recursive: true });
for (const name of readdirSync(source).sort()) {
  // Read and write rather than copy: the shared files are read-only and a copy would keep that mode.
  writeFileSync(join(target, name), readFileSync(join(source, name)));
  console.log(`wrote ${join(target, name)}`);
}
