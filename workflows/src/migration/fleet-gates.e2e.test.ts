// Issue 20: the gates see the whole fleet. Two proxy replicas behind nginx, both scraped by the
// stack's VictoriaMetrics; the catalog service fails some products. Replica A mostly serves the
// good ones, replica B many bad ones: A's own /metrics (what a single-replica gate reads) stays under
// the error-rate threshold, the fleet's rate is over it, and the migration rolls back.
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { sampleFromProxyMetrics, type MetricsSample } from '@ficus/common/proxy-metrics-sample';
import { testAdminToken } from '@ficus/strangler-proxy/testing';
import { evaluateGates } from './gates/evaluate-gates.ts';
import { startMigrationStack, type MigrationStack } from './testing/migration-stack.ts';
import type { MigrationState } from './migration-types.ts';

const routes = ['catalog-products'];

describe('migration gates over a fleet: two proxy replicas behind nginx, PromQL on VictoriaMetrics (e2e)', function () {
  this.timeout(240_000);
  let s: MigrationStack;
  // no retry on legacy: a failing service shows in each replica's own 5xx count, which the test compares
  before(async () => { s = await startMigrationStack('fleet', { products: 60, fleet: { replicas: 2 }, fallbackToLegacy: false }); });
  after(async () => { await s?.stop(); });

  const sample = async (adminUrl: string): Promise<MetricsSample> => {
    const r = await fetch(`${adminUrl}/metrics`, { headers: { authorization: `Bearer ${testAdminToken}` } });
    return sampleFromProxyMetrics(await r.text(), routes, Date.now());
  };
  const served = (x: MetricsSample) => x.routes[routes[0]!]!.legacy.requests + x.routes[routes[0]!]!.service.requests;
  const until = (pred: (x: MigrationState) => boolean, what: string, timeoutMs = 90_000) =>
    waitFor(async () => { const x = await s.client.state(s.migrationName); return pred(x) ? x : undefined; }, { what, timeoutMs, intervalMs: 250 });

  it('the load balancer spreads users over both replicas', async () => {
    const [a, b] = s.fleet!.proxies;
    const [a0, b0] = [await sample(a!.adminUrl), await sample(b!.adminUrl)];
    for (let i = 0; i < 20; i++) expect((await fetch(`${s.fleet!.url}/api/products?pageSize=5`)).status).to.equal(200);
    const [a1, b1] = [await sample(a!.adminUrl), await sample(b!.adminUrl)];
    expect(served(a1) - served(a0)).to.equal(10);
    expect(served(b1) - served(b0)).to.equal(10);
  });

  it('rolls back when the errors over both replicas pass the gate on one replica and fail it on the fleet', async () => {
    const [a, b] = s.fleet!.proxies;
    const ids = (await s.dbs.legacy('products').orderBy('id').pluck('id')) as number[];
    const bad = ids.slice(0, 10);
    const good = ids.slice(10);
    // the default queries, narrowed to this test's replicas by the harness's gates.metrics.selector
    const gate = { max: 0.1, minRequests: 20 };
    const config = s.config({
      checkIntervalSeconds: 2,
      shadow: { percent: 100, holdSeconds: 0 },
      canary: [{ percent: 100, holdSeconds: 180 }],
      gates: { errorRate: gate },
    });
    expect(config.gates.metrics).to.deep.equal({ source: 'promql', minWindowSeconds: 10, selector: `job="${s.fleet!.job}"` });
    await s.client.start(config, 'e2e');
    await until((x) => x.step === 'service-100%' && x.status === 'running', 'the service step');

    const beforeA = await sample(a!.adminUrl);
    const beforeB = await sample(b!.adminUrl);
    s.fault.failIds = new Set(bad);
    let on = true;
    const users: Array<Promise<void>> = [];
    /** A user on one replica (or the balancer) asking for a bad product every `every` requests out of `of`. */
    const user = (base: string, badShare: (i: number) => boolean) => users.push((async () => {
      for (let i = 0; on; i++) {
        const id = badShare(i) ? bad[i % bad.length]! : good[i % good.length]!;
        try { await (await fetch(`${base}/api/products/${id}`, { headers: { cookie: `ficus_uid=u${i % 50}` } })).arrayBuffer(); } catch { /* counted by the proxy */ }
        await new Promise((r) => setTimeout(r, 15));
      }
    })());
    user(a!.url, (i) => i % 25 === 0); // replica A: 4% bad
    user(b!.url, (i) => i % 5 < 2); // replica B: 40% bad, two users
    user(b!.url, (i) => i % 5 < 2);
    user(s.fleet!.url, () => false); // through the balancer: good ones only
    let done: MigrationState;
    try {
      done = await until((x) => x.status === 'rolled-back' || x.status === 'completed' || x.status === 'aborted', 'the migration to end', 120_000);
    } catch (e) {
      const x = await s.client.state(s.migrationName);
      throw new Error(`${(e as Error).message}; state ${x.status} ${x.step}, waiting for ${x.waitingFor}, gates ${JSON.stringify(x.gates)}`, { cause: e });
    } finally {
      on = false;
      await Promise.all(users);
    }
    const afterA = await sample(a!.adminUrl);
    const afterB = await sample(b!.adminUrl);

    expect(done.status, done.reason ?? '').to.equal('rolled-back');
    expect(done.reason).to.match(/^gate errorRate failed during service-100%: [\d.]+% of \d+ service answers failed, every replica \(max 10\.00%\)$/);
    const fleetRate = Number(/([\d.]+)% of/.exec(done.reason!)![1]) / 100;
    expect(fleetRate).to.be.greaterThan(0.1);

    // what a gate reading one replica's /metrics over the same span would have said
    const [onA] = evaluateGates({ errorRate: gate }, routes, { phase: 'canary', before: beforeA, after: afterA });
    const [onB] = evaluateGates({ errorRate: gate }, routes, { phase: 'canary', before: beforeB, after: afterB });
    expect(onA!.ok, `replica A alone: ${onA!.detail}`).to.equal(true);
    expect(onA!.value!).to.be.lessThan(0.1);
    expect(onB!.ok, `replica B alone: ${onB!.detail}`).to.equal(false);
    const audit = (await s.client.state(s.migrationName)).audit.map((e) => e.message);
    expect(audit.some((m) => m.startsWith('rolled back') || m.includes('roll'))).to.equal(true);
  });
});
