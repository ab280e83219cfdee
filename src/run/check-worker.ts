// The worker side of CheckPool (checked.ts): reads and checks one delivery at a time and sends
// its tables and row batches to the loading thread, never more than AHEAD batches ahead of it.
import { parentPort, workerData } from 'node:worker_threads';
import { DeliveryError, readDelivery } from '../read/index.js';
import { compileCatalog, FileCheck } from '../validate/index.js';
import type { LoadRow } from '../warehouse/load.js';
import { AHEAD, BATCH, unitSubjects, type CheckJob, type CheckMessage, type WorkerSetup } from './checked.js';
import { subjectByRules } from './pipeline.js';
import { encodeRows } from './row-batch.js';

const port = parentPort!;
const { catalog, files, errorLimits } = workerData as WorkerSetup;
compileCatalog(catalog);

let current = -1;
let ahead = 0;
let resume: (() => void) | undefined;
const jobs: CheckJob[] = [];

const send = (m: CheckMessage): void => port.postMessage(m);

port.on('message', (m: CheckJob | { type: 'more'; id: number }) => {
  if (m.type === 'more') {
    if (m.id !== current) return;
    ahead--;
    resume?.();
    resume = undefined;
    return;
  }
  jobs.push(m);
  if (jobs.length === 1) void work();
});

async function work(): Promise<void> {
  while (jobs.length > 0) {
    await checkFile(jobs[0]!);
    jobs.shift();
  }
}

async function checkFile(job: CheckJob): Promise<void> {
  const { id, path, unit, name } = job;
  current = id;
  ahead = 0;
  const check = new FileCheck(catalog, name, errorLimits);
  try {
    const tables = readDelivery(path, { catalog, subjects: unitSubjects(catalog, unit), subjectFor: (file, table) => subjectByRules(files, unit, file, table) });
    for await (const t of tables) {
      const subject = t.columns.subject;
      send({
        type: 'table', id, format: t.format, subject: subject.code, ...(t.encoding !== undefined && { encoding: t.encoding }),
        ...(t.format !== 'csv' && t.format !== 'tsv' && { sheet: t.table.name }),
      });
      const checkRow = check.table(t.columns, t.table.name);
      let rows: LoadRow[] = [];
      const flush = async () => {
        send({ type: 'rows', id, subject: subject.code, text: encodeRows(subject, rows) });
        rows = [];
        if (++ahead >= AHEAD) await new Promise<void>((r) => { resume = r; });
      };
      for await (const row of t.table.rows) {
        rows.push({ checked: checkRow(row), cells: row.cells });
        if (rows.length >= BATCH) await flush();
      }
      if (rows.length > 0) await flush();
    }
    const over = check.finish().overLimit;
    send({ type: 'done', id, ...(over && { overLimit: { code: over.code, message: over.message } }) });
  } catch (error) {
    if (error instanceof DeliveryError) {
      send({ type: 'error', id, message: error.message, delivery: { code: error.code, file: error.file, detail: error.message.slice(error.file.length + 2) } });
    } else {
      send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }
}
