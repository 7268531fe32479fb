import { expect } from 'chai';
import { retryOnLockConflict } from './lock-retry.ts';

const mysqlError = (code: string) => Object.assign(new Error(code), { code });

describe('retryOnLockConflict', () => {
  it('runs a deadlock victim or a lock wait timeout again, and returns the run that got through', async () => {
    let runs = 0;
    const r = await retryOnLockConflict(async () => { runs++; if (runs === 1) throw mysqlError('ER_LOCK_DEADLOCK'); if (runs === 2) throw mysqlError('ER_LOCK_WAIT_TIMEOUT'); return 'done'; }, { minDelayMs: 1 });
    expect([r, runs]).to.deep.equal(['done', 3]);
  });

  it('throws any other error at once, as it came', async () => {
    let runs = 0;
    const dup = mysqlError('ER_DUP_ENTRY');
    const e = await retryOnLockConflict(async () => { runs++; throw dup; }, { minDelayMs: 1 }).catch((x: unknown) => x);
    expect([e, runs]).to.deep.equal([dup, 1]);
  });

  it('gives up after the attempts, with the last conflict', async () => {
    let runs = 0;
    const e = await retryOnLockConflict(async () => { runs++; throw mysqlError('ER_LOCK_DEADLOCK'); }, { attempts: 3, minDelayMs: 1 }).catch((x: unknown) => x);
    expect(runs).to.equal(3);
    expect((e as { code: string }).code).to.equal('ER_LOCK_DEADLOCK');
  });
});
