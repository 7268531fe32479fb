import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { waitFor } from '../process/wait-for.ts';
import { readStackEnv } from '../stack/stack-env.ts';
import { createPromqlClient, singleValue } from './promql-client.ts';
import { registerScrapeTarget } from './scrape-targets.ts';

/** A process with a request counter and a latency histogram on /metrics, fed at a fixed pace. */
const fakeReplica = async (o: { perTick: number; tickMs: number; bearer?: string }) => {
  const registry = new Registry();
  const requests = new Counter({ name: 'e2e_requests_total', help: 'requests', registers: [registry] });
  const latency = new Histogram({ name: 'e2e_latency_seconds', help: 'latency', buckets: [0.01, 0.1, 1], registers: [registry] });
  const timer = setInterval(() => {
    requests.inc(o.perTick);
    // nine fast answers for one slow one: p50 under 10 ms, p99 between 100 ms and 1 s
    for (let i = 0; i < 9; i++) latency.observe(0.005);
    latency.observe(0.5);
  }, o.tickMs);
  const server: Server = createServer((req, res) => {
    if (o.bearer && req.headers.authorization !== `Bearer ${o.bearer}`) { res.writeHead(401).end(); return; }
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    url: `http://${address}/metrics`,
    close: () => new Promise<void>((r) => { clearInterval(timer); server.closeAllConnections(); server.close(() => r()); }),
  };
};

describe('VictoriaMetrics scrapes registered targets and answers PromQL across them (e2e)', () => {
  const job = `e2e-promql-${randomBytes(3).toString('hex')}`;
  const promql = createPromqlClient();
  const cleanups: Array<() => unknown> = [];
  after(async () => { for (const c of cleanups.reverse()) await c(); });

  it('sums rate() over two replicas and takes histogram_quantile() of their buckets; an unregistered target leaves', async () => {
    // replica 1: 100 requests/s; replica 2 behind a bearer token: 50 requests/s
    const r1 = await fakeReplica({ perTick: 5, tickMs: 50 });
    const r2 = await fakeReplica({ perTick: 2, tickMs: 40, bearer: 'e2e-scrape-token' });
    cleanups.push(r1.close, r2.close);
    const off1 = registerScrapeTarget({ job, instance: 'replica-1', url: r1.url, labels: { replica: '1' } });
    const off2 = registerScrapeTarget({ job, instance: 'replica-2', url: r2.url, bearerToken: 'e2e-scrape-token' });
    cleanups.push(off1, off2);

    await waitFor(async () => {
      const r = await promql.query(`count_over_time(e2e_requests_total{job="${job}"}[10s]) >= 4`);
      return r.resultType === 'vector' && r.samples.length === 2;
    }, { timeoutMs: 30_000, intervalMs: 500, what: `four scrapes of both replicas of ${job}` });

    const perReplica = await promql.query(`sum by (instance) (rate(e2e_requests_total{job="${job}"}[5s]))`);
    expect(perReplica.resultType).to.equal('vector');
    if (perReplica.resultType !== 'vector') return;
    const byInstance = Object.fromEntries(perReplica.samples.map((s) => [s.metric.instance, s.value]));
    expect(Object.keys(byInstance).sort()).to.deep.equal(['replica-1', 'replica-2']);
    expect(byInstance['replica-1']).to.be.within(60, 130);
    expect(byInstance['replica-2']).to.be.within(30, 65);
    const total = singleValue(await promql.query(`sum(rate(e2e_requests_total{job="${job}"}[5s]))`));
    expect(total).to.be.within(90, 195);

    const p99 = singleValue(await promql.query(`histogram_quantile(0.99, sum by (le) (rate(e2e_latency_seconds_bucket{job="${job}"}[5s])))`));
    const p50 = singleValue(await promql.query(`histogram_quantile(0.5, sum by (le) (rate(e2e_latency_seconds_bucket{job="${job}"}[5s])))`));
    expect(p99).to.be.above(0.1).and.at.most(1);
    expect(p50).to.be.at.most(0.01);

    const labelled = await promql.query(`e2e_requests_total{job="${job}", replica="1"}`);
    expect(labelled.resultType === 'vector' && labelled.samples.map((s) => s.metric.instance)).to.deep.equal(['replica-1']);

    off1();
    await waitFor(async () => {
      const res = await fetch(`${readStackEnv().FICUS_METRICS_URL}/api/v1/targets`);
      const body = (await res.json()) as { data: { activeTargets: Array<{ labels: Record<string, string> }> } };
      const mine = body.data.activeTargets.filter((t) => t.labels.job === job).map((t) => t.labels.instance);
      return mine.length === 1 && mine[0] === 'replica-2';
    }, { timeoutMs: 10_000, intervalMs: 250, what: 'replica-1 gone from the targets' });
  });

  it('scrapes targets behind different bearer tokens at once, each with its own (a demo\'s proxy and a test\'s)', async () => {
    const tokens = [`e2e-token-a-${randomBytes(4).toString('hex')}`, `e2e-token-b-${randomBytes(4).toString('hex')}`];
    const replicas = await Promise.all(tokens.map((bearer) => fakeReplica({ perTick: 1, tickMs: 100, bearer })));
    cleanups.push(...replicas.map((r) => r.close));
    const job2 = `${job}-tokens`;
    replicas.forEach((r, i) => cleanups.push(registerScrapeTarget({ job: job2, instance: `token-${i}`, url: r.url, bearerToken: tokens[i] })));
    // each answers 401 to any other token: `up` is 1 for both only if each got its own
    await waitFor(async () => {
      const r = await promql.query(`min_over_time(up{job="${job2}"}[3s]) == 1`);
      return r.resultType === 'vector' && r.samples.length === 2;
    }, { timeoutMs: 30_000, intervalMs: 500, what: `both targets of ${job2} up for three scrapes` });
  });
});
