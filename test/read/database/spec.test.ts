import { describe, expect, it } from 'vitest';
import { DatabaseSourceError } from '../../../src/read/database/index.js';
import { checkSpec, DEFAULT_BATCH_SIZE, type DatabaseSourceSpec } from '../../../src/read/database/spec.js';

const base: DatabaseSourceSpec = {
  id: 'SCJG/penalties',
  url: 'postgres://etl:S3cret-pw@db.scjg.example:5432/credit',
  table: 'penalties',
  watermark: 'updated_at',
};

describe('checkSpec', () => {
  it.each([
    ['postgres://etl@db:5432/credit', 'postgres'],
    ['postgresql://etl@db/credit', 'postgres'],
    ['mysql://etl@db:3306/credit', 'mysql'],
    ['mariadb://etl@db/credit', 'mysql'],
  ])('reads the dialect of %s', (url, dialect) => {
    expect(checkSpec({ ...base, url })).toEqual({ spec: { ...base, url }, dialect, batchSize: DEFAULT_BATCH_SIZE });
  });

  it.each([
    [{ query: 'select * from penalties' }, 'name exactly one of table and query'],
    [{ table: undefined }, 'name exactly one of table and query'],
    [{ table: '  ' }, 'name exactly one of table and query'],
    [{ url: 'oracle://etl:S3cret-pw@db:1521/credit' }, 'unsupported URL scheme oracle: (use postgres://, postgresql://, mysql://, mariadb://)'],
    [{ url: 'db.scjg.example' }, 'the url is not a URL'],
    [{ watermark: '' }, 'the source has no watermark column'],
    [{ batchSize: 0 }, 'batchSize must be a whole number of at least 1, not 0'],
    [{ batchSize: 2.5 }, 'batchSize must be a whole number of at least 1, not 2.5'],
  ] as [Partial<DatabaseSourceSpec>, string][])('rejects %o: %s', (change, detail) => {
    const spec = { ...base, ...change };
    expect(() => checkSpec(spec)).toThrow(DatabaseSourceError);
    try {
      checkSpec(spec);
    } catch (error) {
      expect(error).toMatchObject({ stage: 'spec', sourceId: 'SCJG/penalties' });
      expect((error as Error).message).toMatch(new RegExp(`^database source SCJG/penalties \\(.*\\): ${escape(detail)}$`));
      expect((error as Error).message).not.toContain('S3cret-pw');
    }
  });

  it('names where the source lives with its password replaced', () => {
    expect(() => checkSpec({ ...base, table: undefined })).toThrow(
      'database source SCJG/penalties (postgres://etl:***@db.scjg.example:5432/credit): name exactly one of table and query',
    );
  });

  it('keeps the batch size it is given', () => {
    expect(checkSpec({ ...base, batchSize: 2 }).batchSize).toBe(2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
