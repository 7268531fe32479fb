// The migration workflow runs for hours and continues as new: a change to its code must replay the
// histories of runs already under way. This records runs of every shape (pause, approval, continue
// as new, completion; a rollback; an abort) and replays them, with the committed ones, against
// today's workflow code. FICUS_RECORD_MIGRATION_HISTORIES=1 writes the fresh ones to ./histories/,
// numbered after the committed ones (those stay: they are what old runs still replay). The runs go
// through two proxy replicas behind nginx and their metric gates read PromQL (queryGateMetrics).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { migrationWorkflowsPath } from './create-migration-worker.ts';
import { startMigrationStack, type MigrationStack } from './testing/migration-stack.ts';
import { replayWithFixtures } from '../testing/replay-histories.ts';
import type { MigrationState } from './migration-types.ts';

describe('migration workflow: determinism (e2e)', function () {
  this.timeout(240_000);
  let s: MigrationStack;
  const fixtures = fileURLToPath(new URL('./histories/', import.meta.url));
  before(async () => { s = await startMigrationStack('replay', { products: 60 }); });
  after(async () => { await s?.stop(); });

  const until = (pred: (x: MigrationState) => boolean, what: string) =>
    waitFor(async () => { const x = await s.client.state(s.migrationName); return pred(x) ? x : undefined; }, { what, timeoutMs: 60_000, intervalMs: 200 });
  /** Every run of the migration's workflow id so far (it continues as new, and is started again). */
  const runs = async (label: string) => {
    const out: Array<{ workflowId: string; history: unknown }> = [];
    for await (const w of s.temporalClient.workflow.list({ query: `WorkflowId = "migration:${s.migrationName}"` })) {
      out.push({ workflowId: `${label}-${out.length + 1}`, history: await s.temporalClient.workflow.getHandle(w.workflowId, w.runId).fetchHistory() });
    }
    return out;
  };

  it('replays recorded runs (pause, approval, continue-as-new, completion, rollback, abort) without nondeterminism', async () => {
    const load = s.traffic();
    // 1. completed: paused and resumed in the shadow step, approved before the last step, several runs
    await s.client.start(s.config({ checkIntervalSeconds: 1, shadow: { percent: 100, holdSeconds: 3 }, canary: [{ percent: 100, holdSeconds: 1, requiresApproval: true }] }), 'e2e', { continueAsNewAfterEvents: 40 });
    await until((x) => x.step === 'shadow', 'shadow step');
    await s.client.pause(s.migrationName, 'e2e');
    await until((x) => x.status === 'paused', 'paused');
    await s.client.resume(s.migrationName, 'e2e');
    await until((x) => x.status === 'awaiting-approval', 'awaiting approval');
    await s.client.approve(s.migrationName, 'e2e');
    expect((await s.client.result(s.migrationName)).status).to.equal('completed');
    const completed = await runs('completed');
    expect(completed.length, 'runs of the completed migration').to.be.greaterThan(1);

    // 2. rolled back: the service's answers start to differ during the shadow step
    await s.client.start(s.config({ checkIntervalSeconds: 1, shadow: { percent: 100, holdSeconds: 60 }, gates: { mismatchRate: { max: 0, minSamples: 3 } } }), 'e2e');
    await until((x) => x.step === 'shadow', 'shadow step again');
    s.fault.wrongPrices = true;
    expect((await s.client.result(s.migrationName)).status).to.equal('rolled-back');
    s.fault.wrongPrices = false;

    // 3. aborted by an operator while holding
    await s.client.start(s.config({ checkIntervalSeconds: 1, shadow: { percent: 100, holdSeconds: 60 } }), 'e2e');
    await until((x) => x.step === 'shadow', 'shadow step, third start');
    await s.client.abort(s.migrationName, 'replay test', 'e2e');
    expect((await s.client.result(s.migrationName)).status).to.equal('aborted');
    await load.stop();

    const last = Math.max(0, ...readdirSync(fixtures).map((f) => Number(/^migration-run-(\d+)\.json$/.exec(f)?.[1] ?? 0)));
    const fresh = (await runs('run')).map((r, i) => ({ ...r, workflowId: `fresh-${i + 1}`, file: `migration-run-${String(last + i + 1).padStart(2, '0')}` }));
    const r = await replayWithFixtures({ workflowsPath: migrationWorkflowsPath, fixturesDir: fixtures, fresh, record: process.env.FICUS_RECORD_MIGRATION_HISTORIES === '1' });
    expect(r.committed, 'committed histories').to.be.at.least(3);
    expect(r.results).to.deep.equal(r.expected);
  });
});
