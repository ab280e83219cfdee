// Measures readMysqlDump on a ~500 MB dump: writes a mysqldump-shaped file of 行政处罚 rows to a
// temporary folder (header, CREATE TABLE, ~1 MB extended INSERTs as mysqldump's net_buffer_length
// makes them), then streams it in a fresh process, so the peak RSS is the reader's alone.
// Run: npx tsx scripts/measure-dump-memory.ts [megabytes, default 500]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/index.js';
import { readMysqlDump } from '../src/read/dump/index.js';

const HEADER = `/*M!999999\\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: 127.0.0.1    Database: scjg_credit
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
`;
const FOOTER = `UNLOCK TABLES;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed
`;
const STATEMENT_BYTES = 1_000_000;

/** mysqldump's escaping (mysql_real_escape_string). */
const escape = (text: string): string =>
  text.replace(/[\0\n\r\\'"\x1a]/g, (c) => ({ '\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z' })[c]!);

function penaltyRow(n: number): string {
  const values = [
    `上海浦江第${n}建材有限公司`, '法人及非法人组织', '91310116052958608G', null, null, null, null, null, '赵敏', '身份证',
    '110102199101010078', null, null, `沪市监浦处〔2024〕${n}号`, '销售不合格产品',
    `当事人销售的"PVC"管材经抽检不合格，\r\n货值金额人民币${n % 10000}元。`.repeat(4), '《中华人民共和国产品质量法》第四十九条',
    '罚款;没收违法所得', '罚款人民币1.2万元，\n没收违法所得3600元', '1.200000', '0.360000', null, '2024-03-21', '2025-03-21', null,
    '上海市浦东新区市场监督管理局', '121200004013590816', '上海市浦东新区市场监督管理局', '121200004013590816', "C:\\文书\\Tom's.pdf",
  ];
  return `(${values.map((v) => (v === null ? 'NULL' : `'${escape(v)}'`)).join(',')})`;
}

function writeDump(path: string, megabytes: number): number {
  const items = loadCatalog('v2').subjects.find((s) => s.code === 'XZCF')!.items;
  const fd = openSync(path, 'w');
  let rows = 0;
  try {
    writeSync(fd, HEADER);
    writeSync(fd, `CREATE TABLE \`xzcf\` (\n${items.map((i) => `  \`${i.code}\` text DEFAULT NULL COMMENT '${i.name}'`).join(',\n')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`);
    writeSync(fd, 'LOCK TABLES `xzcf` WRITE;\n');
    for (let written = 0; written < megabytes * 1e6; ) {
      const tuples: string[] = [];
      for (let size = 0; size < STATEMENT_BYTES; ) {
        const tuple = penaltyRow(++rows);
        tuples.push(tuple);
        size += Buffer.byteLength(tuple);
      }
      written += writeSync(fd, `INSERT INTO \`xzcf\` VALUES ${tuples.join(',')};\n`);
    }
    writeSync(fd, FOOTER);
  } finally {
    closeSync(fd);
  }
  return rows;
}

async function measure(path: string): Promise<void> {
  const started = process.hrtime.bigint();
  let rows = 0;
  for await (const table of readMysqlDump(path)) for await (const _ of table.rows) rows++;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ rows, seconds: +seconds.toFixed(1), rowsPerSecond: Math.round(rows / seconds), peakRssMb: Math.round(peakMb) }));
}

if (process.argv[2] === '--read') {
  await measure(process.argv[3]!);
} else {
  const megabytes = Number(process.argv[2] ?? 500);
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-dump-'));
  const path = join(dir, 'xzcf.sql');
  try {
    const rows = writeDump(path, megabytes);
    console.log(`wrote ${path}: ${(statSync(path).size / 1e6).toFixed(0)} MB, ${rows} rows`);
    // A fresh process: its peak RSS is the reader's, not the writer's.
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--read', path], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
