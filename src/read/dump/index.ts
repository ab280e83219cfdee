// SQL dump deliveries: mysqldump and pg_dump plain-format files, streamed statement by statement.
export { readMysqlDump } from './mysql.js';
export { readPgDump } from './postgres.js';
