import { describe, expect, it } from 'vitest';
import { hidePassword, warehouseTarget, WarehouseError } from '../../src/warehouse/connect.js';
import { freshWarehouse, WAREHOUSE_KINDS } from './servers.js';

describe('naming the warehouse', () => {
  it('tells a SQLite path from PostgreSQL and MySQL URLs, and never shows a password', () => {
    expect(warehouseTarget('warehouse/credit.db', '/srv/etl')).toMatchObject({ dialect: 'sqlite', file: '/srv/etl/warehouse/credit.db' });
    expect(warehouseTarget('postgres://etl:s3cret@db:5432/credit')).toMatchObject({ dialect: 'postgres', shown: 'postgres://etl:***@db:5432/credit' });
    expect(warehouseTarget('mysql://etl:s3cret@db:3306/credit')).toMatchObject({ dialect: 'mysql', shown: 'mysql://etl:***@db:3306/credit' });
    expect(hidePassword('not a url //u:pw@h')).toBe('not a url //u:***@h');
    expect(() => warehouseTarget('mysql://etl@db:3306/')).toThrow(/names no database/);
    expect(() => warehouseTarget('oracle://db/credit')).toThrow(WarehouseError);
  });
});

describe.each(WAREHOUSE_KINDS)('a failing statement on $name', (kind) => {
  const open = freshWarehouse(kind);
  it('names the statement with placeholders, never the values it carried (a resident ID)', async () => {
    const wh = await open();
    await wh.knex.schema.createTable('t', (t) => t.string('id_number', 18));
    const error = await wh.knex('t').insert({ nope: '440524198001010013' }).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain('440524198001010013');
  });
});
