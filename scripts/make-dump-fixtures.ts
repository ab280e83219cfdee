// Writes fixtures/dump/*.sql and fixtures/sqlite/*.sqlite. The SQL dumps are written by the real
// tools: rows go into scratch databases on the local MariaDB and PostgreSQL, and mysqldump
// (MariaDB 10.11, "mysqldump 10.19") and pg_dump 15 dump them, so every header, SET line,
// escape and line break is what those tools write. The one defect is then made by hand, as a
// person editing a dump would. The SQLite files are written by better-sqlite3.
// Needs: MariaDB at 127.0.0.1:3306 (root, no password), PostgreSQL at 127.0.0.1:5432 (postgres,
// trust), mysqldump and pg_dump on PATH. Run: npx tsx scripts/make-dump-fixtures.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import knex from 'knex';
import { type DataItem, loadCatalog } from '../src/catalog/index.js';

const DUMP = 'fixtures/dump';
const SQLITE = 'fixtures/sqlite';
// Scratch databases named like the units' own: 市场监管局 (SCJG) and 行政审批局 (XZSP).
const MYSQL_DB = 'scjg_credit';
const PG_DB = 'xzsp_credit';
// pg_dump 15.14+ writes a random \restrict key unless given one; a fixed key keeps the file stable.
const RESTRICT_KEY = 'credetlfixtures';

type Row = Record<string, string | number | Buffer | null>;

const catalog = loadCatalog('v2');
const subject = (code: string): DataItem[] => catalog.subjects.find((s) => s.code === code)!.items;

/** A column for each data item of the subject, typed as units' databases type them. */
function columnType(item: DataItem, dialect: 'mysql' | 'postgres'): string {
  if (item.type === 'decimal') return `decimal(${item.precision ?? 18},${item.scale ?? 6})`;
  if (item.type === 'date') return 'date';
  if (item.type === 'integer') return 'integer';
  const length = item.length ?? 50;
  if (length > 1000) return 'text';
  return dialect === 'mysql' ? `varchar(${length})` : `character varying(${length})`;
}

// 行政处罚: an enterprise whose name holds a quote and whose facts hold double quotes, CRLF and
// LF line breaks and a Windows path; an individual business; a person (resident ID); one more.
const penalties: Row[] = [
  {
    CF_XDR_MC: "Tom's Kitchen（上海）餐饮管理有限公司", CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '91310115MA1K3BTP2B',
    CF_FRDB: '王小明', CF_FR_ZJLX: '身份证', CF_FR_ZJHM: '110102199101010078',
    CF_WSH: '沪市监浦处〔2024〕152024000123号', CF_WFXW: '经营超过保质期的食品',
    CF_SY: '当事人在其经营场所销售超过保质期的"好味道"牌辣椒酱3瓶，\r\n货值金额人民币45元，违法所得人民币12元。',
    CF_YJ: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项', CF_CFLB: '警告;罚款;没收违法所得',
    CF_NR: '1.警告；\n2.罚款人民币5000元；\n3.没收违法所得人民币12元。', CF_NR_FK: '0.5', CF_NR_WFFF: '0.0012',
    CF_JDRQ: '2024-03-18', CF_YXQ: '2025-03-18', CF_GSJZQ: '2027-03-18',
    CF_CFJG: '上海市浦东新区市场监督管理局', CF_CFJGDM: '121200004013590816', CF_SJLY: '上海市浦东新区市场监督管理局',
    CF_SJLYDM: '121200004013590816', BZ: 'C:\\处罚文书\\2024\\0123.pdf\t（扫描件）',
  },
  {
    CF_XDR_MC: '张记小吃店', CF_XDR_LB: '个体工商户', CF_XDR_SHXYM: '92340602MA2PBQAH7E', CF_FRDB: '张建国',
    CF_WSH: '沪市监浦处〔2024〕152024000124号', CF_WFXW: '未按规定公示营业执照', CF_SY: '当事人未在经营场所醒目位置悬挂营业执照。',
    CF_YJ: '《中华人民共和国市场主体登记管理条例》第四十八条', CF_CFLB: '警告', CF_NR: '警告',
    CF_JDRQ: '2024-03-19', CF_YXQ: '2024-06-19', CF_CFJG: '上海市浦东新区市场监督管理局', CF_CFJGDM: '121200004013590816',
    CF_SJLY: '上海市浦东新区市场监督管理局', CF_SJLYDM: '121200004013590816',
  },
  {
    CF_XDR_MC: '李四', CF_XDR_LB: '自然人', CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '44011320141005001X',
    CF_WSH: '沪市监浦处〔2024〕152024000125号', CF_WFXW: '无照经营', CF_SY: '当事人未取得营业执照从事水果零售。',
    CF_YJ: '《无证无照经营查处办法》第十三条', CF_CFLB: '罚款', CF_NR: '罚款人民币2000元', CF_NR_FK: '0.2',
    CF_JDRQ: '2024-03-20', CF_YXQ: '2025-03-20', CF_CFJG: '上海市浦东新区市场监督管理局', CF_CFJGDM: '121200004013590816',
    CF_SJLY: '上海市浦东新区市场监督管理局', CF_SJLYDM: '121200004013590816', BZ: '',
  },
  {
    CF_XDR_MC: '上海浦江建材有限公司', CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '91310116052958608G', CF_FRDB: '赵敏',
    CF_WSH: '沪市监浦处〔2024〕152024000126号', CF_WFXW: '销售不合格产品', CF_SY: '当事人销售的PVC管材经抽检不合格。',
    CF_YJ: '《中华人民共和国产品质量法》第四十九条', CF_CFLB: '罚款;没收违法所得', CF_NR: '罚款人民币1.2万元，没收违法所得3600元',
    CF_NR_FK: '1.2', CF_NR_WFFF: '0.36', CF_JDRQ: '2024-03-21', CF_YXQ: '2025-03-21', CF_CFJG: '上海市浦东新区市场监督管理局',
    CF_CFJGDM: '121200004013590816', CF_SJLY: '上海市浦东新区市场监督管理局', CF_SJLYDM: '121200004013590816',
  },
];

// 行政许可: a company, a person, and a row whose text holds a tab, a backslash, CR and LF.
const licences: Row[] = [
  {
    XK_XDR_MC: '上海浦江建材有限公司', XK_XDR_LB: '法人及非法人组织', XK_XDR_SHXYM: '91310116052958608G', XK_FRDB: '赵敏',
    XK_XKWS: '食品经营许可证', XK_WSH: '沪浦审批〔2024〕0001号', XK_XKLB: '普通', XK_XKZS: '食品经营许可证',
    XK_XKBH: 'JY13101150012345', XK_NR: '预包装食品销售（不含冷藏冷冻食品）', XK_JDRQ: '2024-01-05', XK_YXQZ: '2024-01-05',
    XK_YXQZI: '2029-01-04', XK_XKJG: '上海市浦东新区行政审批局', XK_XKJGDM: '121200004013590816', XK_ZT: '有效',
    XK_LYDW: '上海市浦东新区行政审批局', XK_LYDWDM: '121200004013590816',
  },
  {
    XK_XDR_MC: '陈静', XK_XDR_LB: '自然人', XK_XDR_ZJLX: '身份证', XK_XDR_ZJHM: '360426199101010071',
    XK_XKWS: '出租汽车驾驶员从业资格证', XK_WSH: '沪浦审批〔2024〕0002号', XK_XKLB: '认可', XK_XKZS: '从业资格证',
    XK_NR: '巡游出租汽车驾驶员', XK_JDRQ: '2024-01-08', XK_YXQZ: '2024-01-08', XK_YXQZI: '2030-01-07',
    XK_XKJG: '上海市浦东新区行政审批局', XK_XKJGDM: '121200004013590816', XK_ZT: '有效',
    XK_LYDW: '上海市浦东新区行政审批局', XK_LYDWDM: '121200004013590816',
  },
  {
    XK_XDR_MC: '浦东新区\t周浦镇"惠民"便利店', XK_XDR_LB: '个体工商户', XK_XDR_SHXYM: '92340602MA2PEL3T3X',
    XK_XKWS: '烟草专卖零售许可证', XK_WSH: '沪浦审批〔2024〕0003号', XK_XKLB: '特许', XK_XKZS: '烟草专卖零售许可证',
    XK_NR: '卷烟、雪茄烟零售\r\n（限周浦镇康沈路店）', XK_JDRQ: '2024-01-09', XK_YXQZ: '2024-01-09', XK_YXQZI: '2026-01-08',
    XK_XKJG: '上海市浦东新区行政审批局', XK_XKJGDM: '121200004013590816', XK_ZT: '有效', XK_LYDW: '上海市浦东新区行政审批局',
    XK_LYDWDM: '121200004013590816', BZ: '材料目录：\\\\nas01\\许可\\2024\\0003\\',
  },
];

async function makeMysqlDumps(): Promise<void> {
  const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', multipleStatements: true });
  await db.query(`DROP DATABASE IF EXISTS ${MYSQL_DB}; CREATE DATABASE ${MYSQL_DB} CHARACTER SET utf8mb4; USE ${MYSQL_DB}`);
  const items = subject('XZCF');
  const columns = items.map((i) => `\`${i.code}\` ${columnType(i, 'mysql')} ${i.required === true ? 'NOT NULL' : 'DEFAULT NULL'} COMMENT '${i.name}'`);
  await db.query(`CREATE TABLE xzcf (${columns.join(', ')}, PRIMARY KEY (CF_WSH, CF_CFJGDM)) ENGINE=InnoDB`);
  for (const row of penalties) {
    await db.query('INSERT INTO xzcf SET ?', [Object.fromEntries(items.map((i) => [i.code, row[i.code] ?? null]))]);
  }
  // A unit's own tables: Chinese column names, a BLOB (mysqldump writes its bytes raw, not as
  // UTF-8), and a trigger (mysqldump wraps it in DELIMITER ;;).
  await db.query(`
    CREATE TABLE dw_xzxk (id int NOT NULL AUTO_INCREMENT, 许可决定书文号 varchar(64) NOT NULL, 行政相对人名称 varchar(200) NOT NULL,
      许可决定日期 date DEFAULT NULL, 许可内容 text, PRIMARY KEY (id), KEY idx_wsh (许可决定书文号)) ENGINE=InnoDB;
    CREATE TABLE dw_xzcf (id int NOT NULL AUTO_INCREMENT, 处罚决定书文号 varchar(64) NOT NULL, 行政相对人名称 varchar(200) NOT NULL,
      罚款金额 decimal(18,6) DEFAULT NULL, 附件 blob, 更新时间 datetime DEFAULT NULL, PRIMARY KEY (id)) ENGINE=InnoDB;
    CREATE TRIGGER dw_xzcf_touch BEFORE UPDATE ON dw_xzcf FOR EACH ROW SET NEW.更新时间 = NOW();`);
  await db.query('INSERT INTO dw_xzxk (许可决定书文号, 行政相对人名称, 许可决定日期, 许可内容) VALUES ?', [[
    ['沪浦审批〔2024〕0001号', '上海浦江建材有限公司', '2024-01-05', '预包装食品销售'],
    ['沪浦审批〔2024〕0002号', '陈静', '2024-01-08', null],
  ]]);
  await db.query('INSERT INTO dw_xzcf (处罚决定书文号, 行政相对人名称, 罚款金额, 附件, 更新时间) VALUES ?', [[
    ['沪市监浦处〔2024〕152024000123号', "Tom's Kitchen（上海）餐饮管理有限公司", '0.5', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), '2024-03-18 09:30:00'],
    ['沪市监浦处〔2024〕152024000125号', '李四', '0.2', null, null],
    ['沪市监浦处〔2024〕152024000126号', '上海浦江建材有限公司', '1.2', Buffer.alloc(0), '2024-03-21 17:05:00'],
  ]]);
  await db.end();

  const mysqldump = (args: string[]): Buffer =>
    execFileSync('mysqldump', ['-h', '127.0.0.1', '-u', 'root', '--skip-dump-date', ...args], { maxBuffer: 1 << 26 });
  writeFileSync(`${DUMP}/mysqldump-penalty-extended-insert.sql`, mysqldump([MYSQL_DB, 'xzcf']));
  writeFileSync(`${DUMP}/mysqldump-two-tables.sql`, mysqldump([MYSQL_DB, 'dw_xzxk', 'dw_xzcf']));

  // A data-only export, one INSERT per row with column names (as a unit sends for a one-off
  // correction), whose 4th INSERT, statement 7 after 3 SET lines, lost a value in a hand edit.
  const perRow = mysqldump([
    '--no-create-info', '--complete-insert', '--skip-extended-insert', '--skip-tz-utc', '--skip-set-charset',
    '--skip-add-locks', '--skip-disable-keys', MYSQL_DB, 'xzcf',
  ]).toString('utf8');
  const inserts = [...perRow.matchAll(/^INSERT INTO .*$/gm)];
  const fourth = inserts[3];
  if (inserts.length !== 4 || !fourth) throw new Error(`expected 4 INSERTs in the per-row dump, found ${inserts.length}`);
  const broken = fourth[0].replace("'赵敏',NULL,", "'赵敏',");
  if (broken === fourth[0]) throw new Error('the value to delete is not in the 4th INSERT');
  writeFileSync(`${DUMP}/mysqldump-syntax-error-at-statement-7.sql`, perRow.replace(fourth[0], broken));
  const drop = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await drop.query(`DROP DATABASE ${MYSQL_DB}`);
  await drop.end();
}

async function makePgDumps(): Promise<void> {
  // knex is the project's typed way to reach PostgreSQL (pg itself ships no types).
  const connect = (database: string) => knex({ client: 'pg', connection: { host: '127.0.0.1', port: 5432, user: 'postgres', database } });
  const admin = connect('test');
  await admin.raw(`DROP DATABASE IF EXISTS ${PG_DB}`);
  await admin.raw(`CREATE DATABASE ${PG_DB} ENCODING 'UTF8' TEMPLATE template0`);
  const db = connect(PG_DB);
  const items = subject('XZXK');
  // Quoted upper-case names as units' Oracle-minded schemas have them; an identity id as pg_dump
  // --inserts then writes OVERRIDING SYSTEM VALUE; column comments as pg_dump writes COMMENT ON.
  const columns = items.map((i) => `"${i.code}" ${columnType(i, 'postgres')}${i.required === true ? ' NOT NULL' : ''}`);
  await db.raw(`CREATE TABLE xzxk (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${columns.join(', ')})`);
  await db.raw(`COMMENT ON COLUMN xzxk."XK_XDR_MC" IS '行政相对人名称'`);
  await db.raw(`COMMENT ON COLUMN xzxk."XK_WSH" IS '行政许可决定文书号'`);
  for (const row of licences) await db('xzxk').insert(Object.fromEntries(items.map((i) => [i.code, row[i.code] ?? null])));
  await db.destroy();
  const pgDump = (args: string[]): Buffer =>
    execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', `--restrict-key=${RESTRICT_KEY}`, ...args, '-t', 'public.xzxk', PG_DB], { maxBuffer: 1 << 26 });
  writeFileSync(`${DUMP}/pgdump-licensing-copy.sql`, pgDump([]));
  writeFileSync(`${DUMP}/pgdump-licensing-inserts.sql`, pgDump(['--inserts']));
  await admin.raw(`DROP DATABASE ${PG_DB}`);
  await admin.destroy();
}

function makeSqliteFiles(): void {
  const twoTables = `${SQLITE}/sqlite-two-tables.sqlite`;
  rmSync(twoTables, { force: true });
  const db = new Database(twoTables);
  db.defaultSafeIntegers(true);
  // 证件号码 stored as INTEGER (past 2^53), an amount as REAL, a scan as BLOB; rows inserted out of
  // rowid order. The second table is WITHOUT ROWID, so its order is its primary key's.
  db.exec(`
    CREATE TABLE xzxk (行政相对人名称 TEXT NOT NULL, 证件号码 INTEGER, 罚款金额 REAL, 附件 BLOB, 备注 TEXT);
    CREATE TABLE xzcf (处罚决定书文号 TEXT PRIMARY KEY, 行政相对人名称 TEXT NOT NULL, 罚款金额 NUMERIC) WITHOUT ROWID;
    CREATE INDEX xzxk_name ON xzxk (行政相对人名称);
    CREATE VIEW xzxk_view AS SELECT 行政相对人名称 FROM xzxk;
    CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT);`);
  const licence = db.prepare('INSERT INTO xzxk (rowid, 行政相对人名称, 证件号码, 罚款金额, 附件, 备注) VALUES (?, ?, ?, ?, ?, ?)');
  licence.run(20n, '陈静', 360426199101010071n, 0.1 + 0.2, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]), null);
  licence.run(10n, "Tom's Kitchen（上海）餐饮管理有限公司", null, 5000, null, '第一行\n第二行');
  const penalty = db.prepare('INSERT INTO xzcf VALUES (?, ?, ?)');
  penalty.run('沪市监浦处〔2024〕152024000125号', '李四', 0.2);
  penalty.run('沪市监浦处〔2024〕152024000123号', '张记小吃店', 1200n);
  db.prepare('INSERT INTO log (note) VALUES (?)').run('loaded');
  db.close();

  // A file with a 1 KiB page of zeros in the middle of a table's data, as a failing disk or an
  // interrupted copy onto a sparse file leaves it: the schema reads, the rows break part-way.
  const corrupt = `${SQLITE}/sqlite-corrupt.sqlite`;
  rmSync(corrupt, { force: true });
  const big = new Database(corrupt);
  big.pragma('page_size = 1024');
  big.exec('CREATE TABLE xzcf (处罚决定书文号 TEXT, 违法事实 TEXT)');
  const insert = big.prepare('INSERT INTO xzcf VALUES (?, ?)');
  for (let i = 1; i <= 40; i++) insert.run(`沪市监浦处〔2024〕${String(i).padStart(4, '0')}号`, `当事人第${i}次违法经营。`.repeat(8));
  big.close();
  const bytes = readFileSync(corrupt);
  bytes.fill(0, 9 * 1024, 10 * 1024);
  writeFileSync(corrupt, bytes);
}

mkdirSync(DUMP, { recursive: true });
mkdirSync(SQLITE, { recursive: true });
await makeMysqlDumps();
await makePgDumps();
makeSqliteFiles();
for (const dir of [DUMP, SQLITE]) {
  for (const name of readdirSync(dir).sort()) console.log(`wrote ${dir}/${name} (${statSync(`${dir}/${name}`).size} bytes)`);
}
