// A delivery read and checked, table by table, in batches of rows ready to load: either on this
// thread, or on a worker thread while this one loads (a night then uses both cores: reading and
// checking a file is most of its cost, and the warehouse takes one writer at a time anyway).
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Catalog, DataSubject } from '../catalog/index.js';
import { DeliveryError, type ReadTable } from '../read/index.js';
import type { ReasonCode } from '../reasons.js';
import type { FileCheck } from '../validate/index.js';
import type { LoadRow } from '../warehouse/load.js';
import type { Pipeline } from './pipeline.js';
import { decodeRows } from './row-batch.js';

/** Rows handed to the load stage at a time: enough for a round trip to be worth it. */
export const BATCH = 2000;

export interface CheckedTable {
  format: string;
  encoding?: string;
  /** The workbook's sheet (or dump's table) the rows come from; undefined for one-table text files. */
  sheet: string | undefined;
  subject: DataSubject;
  batches: AsyncIterable<LoadRow[]>;
}

export interface OverLimit {
  code: ReasonCode;
  message: string;
}

export interface CheckedDelivery {
  /** Throws DeliveryError for anything that makes the delivery unloadable. */
  tables: AsyncIterable<CheckedTable>;
  /** Once every table is consumed: whether the file is over the pipeline's error limits. */
  overLimit(): OverLimit | undefined;
}

/** The data subjects a unit delivers: what a file of its folder may hold. */
export function unitSubjects(catalog: Catalog, unit: string): DataSubject[] {
  const delivers = new Set(catalog.units.find((u) => u.code === unit)?.delivers ?? []);
  return catalog.subjects.filter((s) => delivers.has(s.code));
}

const sheetOf = (t: { format: string; name: string }): string | undefined => (t.format === 'csv' || t.format === 'tsv' ? undefined : t.name);

/** Reads and checks on this thread. */
export function checkHere(tables: () => AsyncIterable<ReadTable>, check: FileCheck): CheckedDelivery {
  return {
    tables: (async function* () {
      for await (const t of tables()) {
        const checkRow = check.table(t.columns, t.table.name);
        yield {
          format: t.format, ...(t.encoding !== undefined && { encoding: t.encoding }), sheet: sheetOf({ format: t.format, name: t.table.name }), subject: t.columns.subject,
          batches: (async function* () {
            let rows: LoadRow[] = [];
            for await (const row of t.table.rows) {
              rows.push({ checked: checkRow(row), cells: row.cells });
              if (rows.length >= BATCH) {
                yield rows;
                rows = [];
              }
            }
            if (rows.length > 0) yield rows;
          })(),
        };
      }
    })(),
    overLimit: () => check.finish().overLimit,
  };
}

/** What the worker is told to check. */
export interface CheckJob {
  type: 'file';
  id: number;
  path: string;
  unit: string;
  /** The name reasons and the error limit's message give the file. */
  name: string;
}

/** What it answers, in order: tables, their rows, then done (or error). */
export type CheckMessage =
  | { type: 'table'; id: number; format: string; encoding?: string; sheet?: string; subject: string }
  | { type: 'rows'; id: number; subject: string; text: string }
  | { type: 'done'; id: number; overLimit?: OverLimit }
  | { type: 'error'; id: number; message: string; delivery?: { code: ReasonCode; file: string; detail: string } };

export interface WorkerSetup {
  catalog: Catalog;
  files: Pipeline['files'];
  errorLimits: Pipeline['errorLimits'];
}

/** Batches a worker may have sent ahead of the load: bounds the memory a fast reader can fill. */
export const AHEAD = 4;

/** One message queue per file the worker checks: the worker runs ahead by at most AHEAD batches. */
class Inbox {
  private readonly queue: CheckMessage[] = [];
  private waiting: ((m: CheckMessage) => void) | undefined;
  push(m: CheckMessage): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(m);
    } else this.queue.push(m);
  }
  next(): Promise<CheckMessage> {
    const m = this.queue.shift();
    return m ? Promise.resolve(m) : new Promise((resolve) => { this.waiting = resolve; });
  }
}

// Run from source (tests, tsx) the worker is TypeScript: it starts by registering tsx's hooks
// (Node 20 applies a worker's own --import hooks only after loading its entry), from the module
// tsx exports for that.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = new URL(`./check-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!FROM_SOURCE) return { entry: WORKER, eval: false };
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const register = pathToFileURL(join(dirname(manifest), api)).href;
  return { entry: `import(${JSON.stringify(register)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`, eval: true };
}

/** Worker threads that read and check deliveries, one file each at a time. */
export class CheckPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly inboxes = new Map<number, Inbox>();
  private next = 0;
  private waiters: ((w: Worker) => void)[] = [];

  constructor(private readonly setup: WorkerSetup, private readonly size = Math.max(1, Math.min(2, cpus().length))) {}

  private spawn(): Worker {
    const { entry, eval: evaluate } = workerEntry();
    const w = new Worker(entry, { eval: evaluate, workerData: this.setup });
    w.on('message', (m: CheckMessage) => this.inboxes.get(m.id)?.push(m));
    w.on('error', (e) => {
      for (const inbox of this.inboxes.values()) inbox.push({ type: 'error', id: -1, message: `the checking thread failed: ${e.message}` });
    });
    w.unref();
    this.all.push(w);
    return w;
  }

  private async borrow(): Promise<Worker> {
    const w = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
    return w ?? new Promise((resolve) => this.waiters.push(resolve));
  }

  private giveBack(w: Worker): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(w);
    else this.idle.push(w);
  }

  check(path: string, unit: string, catalog: Catalog): CheckedDelivery {
    const id = this.next++;
    const inbox = new Inbox();
    let over: OverLimit | undefined;
    const pool = this;
    return {
      tables: (async function* () {
        const w = await pool.borrow();
        pool.inboxes.set(id, inbox);
        w.postMessage({ type: 'file', id, path, unit, name: basename(path) } satisfies CheckJob);
        // The worker is done with the file (done or error): it can take the next one.
        let finished = false;
        try {
          let m = await inbox.next();
          for (;;) {
            if (m.type === 'error') {
              finished = m.id === id;
              if (m.delivery) throw new DeliveryError(m.delivery.code, m.delivery.detail, m.delivery.file);
              throw new Error(m.message);
            }
            if (m.type === 'done') {
              finished = true;
              over = m.overLimit;
              return;
            }
            if (m.type !== 'table') throw new Error(`the checking thread sent ${m.type} before a table`);
            const code = m.subject;
            const subject = catalog.subjects.find((s) => s.code === code)!;
            let after: CheckMessage | undefined;
            yield {
              format: m.format, ...(m.encoding !== undefined && { encoding: m.encoding }), sheet: m.sheet, subject,
              batches: (async function* () {
                for (;;) {
                  const r = await inbox.next();
                  if (r.type !== 'rows') {
                    after = r;
                    return;
                  }
                  w.postMessage({ type: 'more', id });
                  yield decodeRows(subject, r.text);
                }
              })(),
            };
            // The load consumed the table's batches; what followed them is the next table, or the end.
            m = after ?? (await inbox.next());
          }
        } finally {
          pool.inboxes.delete(id);
          // A load that stopped mid-file (an error of its own) leaves the worker reading: it goes.
          if (finished) pool.giveBack(w);
          else pool.discard(w);
        }
      })(),
      overLimit: () => over,
    };
  }

  private discard(w: Worker): void {
    const at = this.all.indexOf(w);
    if (at >= 0) this.all.splice(at, 1);
    void w.terminate();
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.spawn());
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
