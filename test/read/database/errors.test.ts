import { describe, expect, it } from 'vitest';
import { causeText, DatabaseSourceError, sourceFailure } from '../../../src/read/database/errors.js';

const url = 'postgres://etl:S3cret-pw@db.scjg.example:5432/credit';

describe('causeText', () => {
  it('replaces a URL that a driver echoes with the redacted one', () => {
    expect(causeText(new Error(`invalid connection string ${url}`), url)).toBe(
      'invalid connection string postgres://etl:***@db.scjg.example:5432/credit',
    );
  });

  it('replaces the password wherever it appears, also when the URL percent-encodes it', () => {
    const encoded = 'mysql://etl:p%40ss%2Fword@db:3306/credit';
    expect(causeText(new Error("Access denied for 'etl' using p@ss/word"), encoded)).toBe("Access denied for 'etl' using ***");
  });

  it('leaves a very short password alone rather than mangle the message', () => {
    expect(causeText(new Error('connect ECONNREFUSED 10.0.0.5:5432'), 'postgres://etl:5@db/credit')).toBe(
      'connect ECONNREFUSED 10.0.0.5:5432',
    );
  });

  it('falls back to the error code when the error has no message', () => {
    const error = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(causeText(error, url)).toBe('ECONNREFUSED');
  });
});

describe('sourceFailure', () => {
  it('names the source, where it lives without the password, the stage and the cause', () => {
    const failure = sourceFailure(
      { id: 'SCJG/penalties', url, table: 'penalties', watermark: 'updated_at' },
      'connect',
      'cannot connect',
      new Error('timeout expired'),
    );
    expect(failure).toBeInstanceOf(DatabaseSourceError);
    expect(failure).toMatchObject({ sourceId: 'SCJG/penalties', stage: 'connect', location: 'postgres://etl:***@db.scjg.example:5432/credit' });
    expect(failure.message).toBe(
      'database source SCJG/penalties (postgres://etl:***@db.scjg.example:5432/credit): cannot connect: timeout expired',
    );
  });
});
