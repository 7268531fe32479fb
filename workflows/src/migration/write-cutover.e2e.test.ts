import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { uniqueFlag } from '../../../strangler-proxy/src/testing/test-proxy.ts';
import type { SyncControl, SyncDomain } from './activities.ts';
import { startMigrationStack, type MigrationStack } from './testing/migration-stack.ts';

/** A sync that records each direction change; the reverse side can be made to never drain. */
const recordingSync = () => {
  const calls: string[] = [];
  const s = { reverseStuck: false };
  const sync: SyncControl = {
    async setDirections(domain: SyncDomain, d) { calls.push(`${domain} forward=${d.forward} reverse=${d.reverse}`); },
    async lag(_domain, direction) { return { events: direction === 'reverse' && s.reverseStuck ? 5 : 0, seconds: 0 }; },
  };
  return { calls, sync, s };
};

describe('write cutover ordering and its rollback (real Temporal and Unleash, recording sync)', function () {
  this.timeout(120_000);
  const rec = recordingSync();
  let s: MigrationStack;
  let writeFlag: string;
  before(async () => {
    s = await startMigrationStack('writes', { sync: rec.sync });
    writeFlag = uniqueFlag('migration-writes');
    await s.unleash.ensureFlag(writeFlag);
  });
  after(async () => { await s?.unleash.deleteFlag(writeFlag).catch(() => undefined); await s?.stop(); });

  const config = () => s.config({
    checkIntervalSeconds: 0.5,
    shadow: { percent: 100, holdSeconds: 0 },
    canary: [{ percent: 100, holdSeconds: 1 }],
    gates: { errorRate: { max: 0.01, minRequests: 1 }, parity: { maxDifferences: 0 } },
    writeCutover: { domain: 'catalog', writeFlag, drainTimeoutSeconds: 3, requiresApproval: false },
  });

  it('turns the reverse sync on before writes move, and the forward sync off only after it drained; parity before and after', async () => {
    const load = s.traffic();
    await s.client.start(config(), 'e2e');
    const result = await s.client.result(s.migrationName);
    await load.stop();
    expect(result.status, result.reason ?? '').to.equal('completed');
    expect(rec.calls).to.deep.equal(['catalog forward=true reverse=true', 'catalog forward=false reverse=true']);
    expect((await s.unleash.flagState(writeFlag)).mode).to.equal('service');
    expect(result.state.writeCutover).to.equal('done');
    const messages = (await s.dbs.store.audit(s.migrationName)).filter((a) => a.step === 'write-cutover').map((a) => a.message);
    expect(messages.map((m) => m.replace(/:.*/, ''))).to.deep.equal([
      'data parity before the write cutover', 'write cutover', 'write cutover', 'write cutover', 'data parity after the write cutover',
    ]);
    expect(messages[1]).to.match(/reverse sync on/);
    expect(messages[2]).to.match(/→ service 100%/);
    expect(messages[3]).to.match(/forward sync drained; forward off/);
  });

  it('rolls the write cutover back in reverse order when the reverse sync does not drain', async () => {
    rec.calls.length = 0;
    rec.s.reverseStuck = true;
    await s.unleash.setMode(s.flag, 'legacy');
    await s.unleash.setMode(writeFlag, 'legacy');
    const load = s.traffic();
    await waitFor(async () => { try { await s.client.start(config(), 'e2e'); return true; } catch { return false; } }, { what: 'second run started' });
    const result = await s.client.result(s.migrationName);
    await load.stop();
    expect(result.status).to.equal('rolled-back');
    expect(result.reason).to.equal('write cutover: the reverse sync did not drain within 3 s');
    expect(rec.calls).to.deep.equal([
      'catalog forward=true reverse=true', 'catalog forward=false reverse=true',
      // rollback: both on, writes back to legacy, reverse off
      'catalog forward=true reverse=true', 'catalog forward=true reverse=false',
    ]);
    expect((await s.unleash.flagState(writeFlag)).mode).to.equal('legacy');
    expect((await s.unleash.flagState(s.flag)).mode).to.equal('legacy');
    expect(result.state.writeCutover).to.equal('rolled-back');
  });
});
