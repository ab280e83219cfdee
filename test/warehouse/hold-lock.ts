// Holds locks from a process of its own, as another run would:
//   node --import tsx test/warehouse/hold-lock.ts <warehouse> <lock>...
// Prints 'held' once it holds them; gives them back and exits when its stdin closes, so a test
// that dies never leaves it behind. lock.test.ts kills it with SIGKILL to play a crashed run.
import { openWarehouse } from '../../src/warehouse/connect.js';
import { acquireLocks } from '../../src/warehouse/lock.js';

const [spec, ...names] = process.argv.slice(2);
if (!spec || names.length === 0) throw new Error('usage: hold-lock.ts <warehouse> <lock>...');
const wh = await openWarehouse(spec);
const held = await acquireLocks(wh, names, { what: 'run 7', batchId: 7 }, { heartbeatMs: 100 });
process.stdout.write('held\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void held.release().finally(() => wh.close());
});
