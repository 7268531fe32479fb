import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { sampleFromProxyMetrics } from '@ficus/common/proxy-metrics-sample';
import { testAdminToken } from '@ficus/strangler-proxy/testing';
import { verifyMigrationParity } from './parity/verify-migration.ts';
import { startMigrationStack, type MigrationStack } from './testing/migration-stack.ts';
import type { MigrationState } from './migration-types.ts';

const gates = {
  mismatchRate: { max: 0, minSamples: 5 },
  errorRate: { max: 0.01, minRequests: 5 },
  p99VsLegacy: { maxRatio: 3, slackMs: 100, minRequests: 5 },
  probes: { paths: ['/api/products?pageSize=20', '/api/products?sort=price_desc&pageSize=20'], maxMismatchRate: 0 },
  parity: { maxDifferences: 0 },
};

// Users go through nginx to two proxy replicas; the metric gates read PromQL over both replicas
// (VictoriaMetrics, narrowed to this test's scrape job), as deployed.
describe('migration cutover workflow on the real stack (Temporal, Unleash, two proxy replicas behind nginx, VictoriaMetrics, MariaDB)', function () {
  this.timeout(180_000);

  describe('a clean migration under load', () => {
    let s: MigrationStack;
    before(async () => { s = await startMigrationStack('clean'); });
    after(async () => { await s?.stop(); });

    it('migrates catalog to the service at 100% with parity clean and no user-visible error; pause, resume, approve and a worker restart on the way', async () => {
      const load = s.traffic();
      const config = s.config({
        checkIntervalSeconds: 1,
        shadow: { percent: 100, holdSeconds: 2 },
        canary: [{ percent: 10, holdSeconds: 2 }, { percent: 50, holdSeconds: 2 }, { percent: 100, holdSeconds: 2, requiresApproval: true }],
        gates,
      });
      // runs kept short (a real one continues as new at Temporal's suggestion or 10,000 events), so
      // the hold goes on across several runs: pause, approval and the worker restart included
      await s.client.start(config, 'e2e', { continueAsNewAfterEvents: 60 });
      const state = (pred: (x: MigrationState) => boolean, what: string, timeoutMs = 30_000) =>
        waitFor(async () => {
          const x = await s.client.state(s.migrationName);
          if (['completed', 'rolled-back', 'aborted'].includes(x.status) && !pred(x)) throw new Error(`ended ${x.status} (${x.reason}) before ${what}:\n${x.audit.map((a) => a.message).join('\n')}`);
          return pred(x) ? x : undefined;
        }, { what, timeoutMs, intervalMs: 200 }).catch(async (e: Error) => {
          const x = await s.client.state(s.migrationName);
          throw new Error(`${e.message}; state ${x.status} ${x.step} held ${x.heldMs}/${x.holdMs} waiting for ${x.waitingFor}; gates ${JSON.stringify(x.gates)}\n${x.audit.map((a) => `${a.at} ${a.message}`).join('\n')}`);
        });

      // the worker goes away during the shadow step and a new one takes over where it was
      await state((x) => x.step === 'shadow', 'shadow step');
      await s.stopWorker();
      await s.startWorker();

      // pause during the first canary step: gates are still checked, the hold clock stops.
      // A gate read that the stopped worker had taken is retried after its start-to-close timeout
      // (GATE_READ_TIMEOUT), so the step may resume up to that much later.
      await state((x) => x.step === 'canary-10%', 'canary 10%', 60_000);
      await s.client.pause(s.migrationName, 'e2e');
      const paused = await state((x) => x.status === 'paused', 'paused');
      const heldAtPause = paused.heldMs;
      const checkedAt = paused.lastCheckAt;
      const later = await state((x) => x.lastCheckAt !== checkedAt && x.status === 'paused', 'a check while paused');
      expect(later.heldMs).to.equal(heldAtPause);
      expect(later.step).to.equal('canary-10%');
      // the gates read both replicas (PromQL), not one proxy's /metrics (a new step's first service
      // answers reach VictoriaMetrics a few seconds after they happen: until then the gate says it has none)
      const read = await state((x) => x.status === 'paused' && x.gates.some((g) => g.gate === 'errorRate' && g.ok !== null), 'the error rate read while paused');
      expect(read.gates.find((g) => g.gate === 'errorRate')!.detail).to.match(/service answers failed, every replica/);
      expect(read.heldMs).to.equal(heldAtPause);
      await s.client.resume(s.migrationName, 'e2e');

      const waiting = await state((x) => x.status === 'awaiting-approval', 'approval of 100%', 60_000);
      expect(waiting.step).to.equal('service-100%');
      expect((await s.unleash.flagState(s.flag))).to.include({ mode: 'canary', percent: 50 });
      await s.client.approve(s.migrationName, 'e2e');

      const result = await s.client.result(s.migrationName);
      const stats = await load.stop();
      expect(result.status, result.reason ?? '').to.equal('completed');
      expect(await s.unleash.flagState(s.flag)).to.include({ mode: 'service', percent: 100 });
      for (const [i, p] of s.proxies.entries()) {
        await waitFor(async () => {
          const r = (await (await fetch(`${p.adminUrl}/routes`, { headers: { authorization: `Bearer ${testAdminToken}` } })).json()) as { routes: Array<{ effective: string }> };
          return r.routes[0]!.effective === 'service';
        }, { what: `replica ${i + 1} serving the route from the service` });
      }
      expect(stats.requests).to.be.greaterThan(200);
      for (const p of s.proxies) {
        const m = sampleFromProxyMetrics(await (await fetch(`${p.adminUrl}/metrics`, { headers: { authorization: `Bearer ${testAdminToken}` } })).text(), ['catalog-products'], Date.now()).routes['catalog-products']!;
        expect(m.legacy.requests + m.service.requests, `users reached ${p.url} through the balancer`).to.be.greaterThan(50);
      }
      expect(stats.errors, stats.errors.slice(0, 5).join('\n')).to.deep.equal([]);
      expect((await verifyMigrationParity(config, s.dbs)).clean).to.equal(true);

      const audit = await s.dbs.store.audit(s.migrationName);
      const messages = audit.map((a) => `${a.step} ${a.kind}: ${a.message}`);
      for (const expected of [/start step: migration .* started by e2e: shadow → canary-10% → canary-50% → service-100%/, /shadow step: .* → shadow 100%/, /shadow gate: shadow held \d+ s with every gate passing/,
        /canary-10% signal: paused/, /canary-10% signal: resumed/, /canary-10% step: .* → canary 10%/, /canary-50% step: .* → canary 50%/,
        /service-100% wait: service-100% requires approval/, /service-100% signal: approved/, /service-100% step: .* → service 100%/, /done done: migration .* complete/]) {
        expect(messages.some((m) => expected.test(m)), `${expected} in\n${messages.join('\n')}`).to.equal(true);
      }
      expect(audit.find((a) => a.message.startsWith('data parity before the first step'))?.data).to.include({ ok: true });
      expect(audit.map((a) => a.seq)).to.deep.equal(audit.map((_, i) => i + 1));
      // one log over every run, one line per continuation, and the migration still found by name
      expect(result.state.runs).to.be.greaterThan(1);
      expect(new Set(audit.map((a) => a.runId)).size).to.equal(1);
      expect(messages.filter((m) => / decision: continued as new run \d+/.test(m))).to.have.length(result.state.runs - 1);
      const last = await s.temporalClient.workflow.getHandle(`migration:${s.migrationName}`).describe();
      expect(last.searchAttributes.FicusMigration).to.deep.equal([s.migrationName]);
    });
  });

  describe('a service that starts answering wrong prices', () => {
    let s: MigrationStack;
    before(async () => { s = await startMigrationStack('fault'); });
    after(async () => { await s?.stop(); });

    it('fails the probe gate and rolls the route back to legacy within one check interval, with the reason in the audit log', async () => {
      const load = s.traffic();
      const config = s.config({
        checkIntervalSeconds: 2,
        shadow: { percent: 100, holdSeconds: 2 },
        canary: [{ percent: 25, holdSeconds: 120 }, { percent: 100, holdSeconds: 2 }],
        gates,
      });
      await s.client.start(config, 'e2e');
      await waitFor(async () => { const x = await s.client.state(s.migrationName); return x.step === 'canary-25%' && x.gates.some((g) => g.gate === 'probes' && g.ok) ? x : undefined; }, { what: 'canary 25% with a passing probe', timeoutMs: 60_000, intervalMs: 100 });
      s.fault.wrongPrices = true;
      const injectedAt = Date.now();
      const result = await s.client.result(s.migrationName);
      await load.stop();
      expect(result.status).to.equal('rolled-back');
      expect(result.reason).to.match(/gate probes failed during canary-25%: \d+ of 2 probes answered differently, 0 failed: \/api\/products\?.*: \$\.items\[0\]\.priceCents/);
      expect((await s.unleash.flagState(s.flag)).mode).to.equal('legacy');
      const audit = await s.dbs.store.audit(s.migrationName);
      const rollback = audit.find((a) => a.kind === 'rollback' && a.message.includes('is off'))!;
      expect(rollback, audit.map((a) => a.message).join('\n')).to.not.equal(undefined);
      // detected at the next check (≤ 1 interval of 2 s) plus the check and the flag change themselves
      console.log(`      fault to rollback: ${Date.parse(rollback.at) - injectedAt} ms (check interval 2,000 ms)`);
      expect(Date.parse(rollback.at) - injectedAt).to.be.lessThan(2_000 + 1_500);
      expect(audit.find((a) => a.kind === 'gate' && a.message.startsWith('gate probes failed'))!.data).to.include({ gate: 'probes', value: 1, threshold: 0 });
      expect(audit.find((a) => a.kind === 'rollback')!.message).to.match(/^rolling back to legacy: gate probes failed/);
      expect(audit.at(-1)!.message).to.match(/rolled back; routes on legacy/);
    });
  });

  describe('Unleash unreachable during a step, then an abort', () => {
    let s: MigrationStack;
    before(async () => { s = await startMigrationStack('waits'); });
    after(async () => { await s?.stop(); });

    it('waits and says so while Unleash cannot be reached (the flag keeps its state), continues when it answers, and an abort rolls back to legacy', async () => {
      const load = s.traffic();
      const config = s.config({
        checkIntervalSeconds: 1,
        shadow: { percent: 100, holdSeconds: 2 },
        canary: [{ percent: 10, holdSeconds: 600 }, { percent: 100, holdSeconds: 2 }],
        gates: { errorRate: { max: 0.01, minRequests: 1 } },
      });
      await s.client.start(config, 'e2e');
      // in the shadow step once its flag is set (the first gate check comes after it)
      await waitFor(async () => { const x = await s.client.state(s.migrationName); return x.step === 'shadow' && x.lastCheckAt !== null; }, { what: 'shadow step checked', timeoutMs: 30_000 });
      s.unleashSwitch.down = true;
      const waiting = await waitFor(async () => { const x = await s.client.state(s.migrationName); return x.status === 'waiting' && x.waitingFor?.startsWith('Unleash') ? x : undefined; }, { what: 'the step waiting for Unleash', timeoutMs: 30_000 });
      expect(waiting.step).to.equal('canary-10%');
      expect(waiting.waitingFor).to.match(/UNLEASH_UNREACHABLE|cannot reach Unleash/);
      expect(await s.unleash.flagState(s.flag)).to.include({ mode: 'shadow', percent: 100 });
      s.unleashSwitch.down = false;
      await waitFor(async () => (await s.unleash.flagState(s.flag)).mode === 'canary', { what: 'canary 10% once Unleash answers', timeoutMs: 30_000 });
      await s.client.abort(s.migrationName, 'rehearsal over', 'e2e');
      const result = await s.client.result(s.migrationName);
      const stats = await load.stop();
      expect(result.status).to.equal('aborted');
      expect(result.reason).to.equal('aborted by e2e: rehearsal over');
      expect((await s.unleash.flagState(s.flag)).mode).to.equal('legacy');
      expect(stats.errors).to.deep.equal([]);
      const messages = (await s.dbs.store.audit(s.migrationName)).map((a) => `${a.kind}: ${a.message}`);
      for (const expected of [/^wait: cannot set .* to canary 10%: .*cannot reach Unleash.*the step waits/, /^decision: Unleash answered again/, /^signal: abort requested: rehearsal over/,
        /^rollback: rolling back to legacy: aborted by e2e: rehearsal over/, /^done: migration .* aborted; routes on legacy/]) {
        expect(messages.some((m) => expected.test(m)), `${expected} in\n${messages.join('\n')}`).to.equal(true);
      }
    });

    it('rejects a config naming an unknown route or table before anything starts', async () => {
      const { parseMigrationDeclaration } = await import('./migration-declaration.ts');
      const raw = { ...s.config(), routes: ['catalog-products', 'nope'], tables: [{ legacy: 'productz', service: 'products', mapping: 'productsToCatalog' }] };
      expect(() => parseMigrationDeclaration(raw, 'catalog.json', { routes: [{ id: 'catalog-products', flag: s.flag, serviceTargetName: 'catalog' }] }))
        .to.throw(/catalog\.json: tables\.0\.legacy: mapping productsToCatalog reads legacy table "products", found "productz"/);
      try { parseMigrationDeclaration({ ...s.config(), routes: ['nope'] }, 'catalog.json', { routes: [{ id: 'catalog-products', flag: s.flag, serviceTargetName: 'catalog' }] }); expect.fail('accepted'); }
      catch (e) { expect((e as Error).message).to.match(/catalog\.json: routes\.0: unknown route "nope"; the route table has catalog-products/); }
    });
  });
});
