// The backfill as a workflow on the migration worker: started through the client, it outlives the
// worker that ran it (the next worker continues from the stored position) and stops when cancelled.
import { expect } from 'chai';
import { isFicusError, waitFor } from '@ficus/common';
import { startMigrationStack, type MigrationStack } from '../testing/migration-stack.ts';
import type { MigrationStateStore } from '../migration-state-store.ts';
import { verifyMigrationParity } from '../parity/verify-migration.ts';

const PRODUCTS = 3_000;
const BATCH = 50;

describe('backfill on the migration worker (e2e)', function () {
  this.timeout(180_000);
  let s: MigrationStack;
  /** Every position the worker stored, in order; each store takes 60 ms, so a copy of 60 chunks lasts seconds. */
  const saves: Array<{ table: string; rowsCopied: number; done: boolean }> = [];
  const slowStore = (store: MigrationStateStore): MigrationStateStore => ({
    ...store,
    async saveBackfill(p) {
      await new Promise((r) => setTimeout(r, 60));
      await store.saveBackfill(p);
      saves.push({ table: p.table, rowsCopied: p.rowsCopied, done: p.done });
    },
  });
  // the proxy plays no part in a backfill: one, not a fleet
  before(async () => { s = await startMigrationStack('backfill', { products: PRODUCTS, backfilled: false, workerStore: slowStore, fleet: false }); });
  after(async () => { await s?.stop(); });

  const products = () => s.dbs.store.backfill(s.migrationName, 'products');
  const rejection = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e; } throw new Error('expected a rejection'); };
  /** The heartbeat as the CLI reads it: rows copied of products once at least `rows`. */
  const heartbeatAt = (rows: number) => waitFor(async () => {
    const st = await s.client.backfillProgress(s.migrationName);
    return (st.tables.find((t) => t.table === 'products')?.rowsCopied ?? 0) >= rows ? st : undefined;
  }, { what: `a heartbeat with ${rows} products copied`, timeoutMs: 60_000, intervalMs: 100 });
  const unchangedFor = async (ms: number) => {
    const before = await products();
    await new Promise((r) => setTimeout(r, ms));
    expect(await products(), 'nothing copies while no worker runs the backfill').to.deep.equal(before);
    return before!;
  };

  it('continues on a new worker from where the stopped one was, refuses a second start meanwhile, and ends with parity clean', async () => {
    const config = s.config();
    const started = await s.client.backfill({ config, method: 'copy', batchRows: BATCH, startedBy: 'e2e' });
    expect(started.workflowId).to.equal(`backfill:${s.migrationName}`);
    const mid = await heartbeatAt(500);
    expect(mid).to.include({ status: 'RUNNING', attempt: 1, activityState: 'started' });
    expect(mid.tables.find((t) => t.table === 'categories')).to.include({ rowsCopied: 8, sourceRows: 8, done: true });

    const again = await rejection(s.client.backfill({ config, method: 'copy', startedBy: 'e2e' }));
    expect(isFicusError(again) && again.code).to.equal('BACKFILL_ALREADY_RUNNING');

    await s.stopWorker();
    const stopped = await unchangedFor(1_500);
    expect(stopped.done).to.equal(false);
    expect(stopped.rowsCopied).to.be.within(500, PRODUCTS - BATCH);

    const savesBefore = saves.length;
    await s.startWorker();
    const r = await s.client.backfillResult(s.migrationName);
    expect(r.done).to.equal(true);
    expect(r.tables.map((t) => [t.table, t.rowsCopied, t.sourceRows, t.done])).to.deep.equal([['categories', 8, 8, true], ['products', PRODUCTS, PRODUCTS, true]]);
    // the new worker's first chunk is the one after the stored position, not the first one
    const resumed = saves.slice(savesBefore).filter((x) => x.table === 'products');
    expect(resumed[0]!.rowsCopied).to.equal(stopped.rowsCopied + BATCH);
    expect(resumed.filter((x) => !x.done).length).to.equal((PRODUCTS - stopped.rowsCopied) / BATCH);

    const history = await s.temporalClient.workflow.getHandle(started.workflowId).fetchHistory();
    const attempts = history.events!.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 0] : []));
    expect(Math.max(...attempts), 'the backfill activity ran a second attempt').to.be.at.least(2);

    const parity = await verifyMigrationParity(config, s.dbs);
    expect(parity.clean, JSON.stringify(parity.tables.map((t) => t.differences.slice(0, 3)))).to.equal(true);
    expect(parity.rowsCompared).to.equal(PRODUCTS + 8);
  });

  it('stops between two chunks when cancelled, keeping the position; --restart starts from the first chunk', async () => {
    const savesBefore = saves.length;
    await s.client.backfill({ config: s.config(), method: 'copy', batchRows: BATCH, restart: true, startedBy: 'e2e' });
    await heartbeatAt(300);
    expect(saves.slice(savesBefore).find((x) => x.table === 'products')!.rowsCopied, 'restarted').to.equal(BATCH);
    await s.client.cancelBackfill(s.migrationName);
    const e = await rejection(s.client.backfillResult(s.migrationName));
    expect(isFicusError(e) && e.code).to.equal('BACKFILL_CANCELLED');
    const kept = await unchangedFor(1_000);
    expect(kept).to.include({ done: false });
    expect(kept.rowsCopied).to.be.within(300, PRODUCTS - BATCH);
    const audit = await s.dbs.store.audit(s.migrationName);
    expect(audit.map((a) => a.message).at(-1)).to.match(/backfill of .* cancelled between two chunks/);
  });
});
