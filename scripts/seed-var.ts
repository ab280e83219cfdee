// Sets up the working folder the shipped pipeline (pipelines/nightly.json) runs in, for a first
// try on a fresh clone: var/inbox as a copy of the three fixture nights, and var/id.key, a new
// random resident-ID key. Run once: an inbox or a key already there is left as it is, so nothing
// a run has done is undone and nothing committed is ever touched.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const inbox = join(root, 'var', 'inbox');
const key = join(root, 'var', 'id.key');
mkdirSync(join(root, 'var'), { recursive: true });
if (existsSync(inbox)) {
  console.log(`var/inbox is there already: left as it is (remove var/ to start over)`);
} else {
  cpSync(join(root, 'fixtures', 'nights'), inbox, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  console.log('var/inbox: a copy of fixtures/nights (three nights of deliveries)');
}
if (existsSync(key)) {
  console.log('var/id.key is there already: kept (the warehouse in var/ was built with it)');
} else {
  writeFileSync(key, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  console.log('var/id.key: a new random resident-ID key (mode 600)');
}
