import { describe, expect, it } from 'vitest';
import { loadCatalog, renderSubject } from '../../src/catalog/index.js';
import { addWithdrawal, tinyCatalog, writeCatalog } from './tiny-catalog.js';

describe('catalog show --subject', () => {
  it('says when a record of the subject is withdrawn, and says nothing for a subject without', () => {
    const withdrawable = loadCatalog(writeCatalog(addWithdrawal(tinyCatalog(), { when: 'QSGG_ZT', in: ['无效', '注销'] })));
    expect(renderSubject(withdrawable, withdrawable.subjects[0]!)).toContain('  withdrawn when: QSGG_ZT=无效/注销 (the record is closed, never deleted)');
    const plain = loadCatalog(writeCatalog(tinyCatalog()));
    expect(renderSubject(plain, plain.subjects[0]!).join('\n')).not.toMatch(/withdrawn/);
  });
});
