// Checkout benchmark: the monolith's one-transaction checkout against the saga checkout (orders
// service → Temporal PlaceOrder across inventory, payments, orders), same run, same machine.
// Everything is in this process on 127.0.0.1 (services, monolith, saga worker) except MariaDB and the
// Temporal dev server of the local stack. Requests go straight to the monolith and to the orders
// service, NOT through the strangler proxy: the proxy does not sign x-ficus-user for services yet.
//
//   node bench/saga-bench.ts [--checkouts 200] [--concurrency 8] [--max-seconds 120]
//
// Each virtual user loops: put one item in its cart (not timed), check out (timed). Bounded by
// --checkouts per side and --max-seconds overall; prints a table and a JSON line.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSagaStack } from '../workflows/src/testing/saga-stack.ts';

// Access logs of four in-process apps would measure stdout, not checkout.
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });

const { values } = parseArgs({ options: {
  checkouts: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' }, 'max-seconds': { type: 'string', default: '120' },
} });
const checkouts = Math.max(1, Math.min(5_000, Number(values.checkouts)));
const concurrency = Math.max(1, Math.min(64, Number(values.concurrency)));
const deadline = Date.now() + Math.max(5, Math.min(1_800, Number(values['max-seconds']))) * 1000;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const s = await startSagaStack('bench', { waitMs: 10_000 });
try {
  const productIds = [await s.product(500, 1_000_000), await s.product(1250, 1_000_000)];
  const users: Array<Awaited<ReturnType<typeof s.user>>> = [];
  for (let i = 0; i < concurrency; i++) users.push(await s.user());

  const run = async (side: 'monolith' | 'saga') => {
    const latencies: number[] = [];
    const failures = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(users.map(async (u, i) => {
      while (next < checkouts && Date.now() < deadline) {
        next += 1;
        await u.addToCart(productIds[i % productIds.length]!, 1);
        const t0 = performance.now();
        const res = side === 'monolith' ? await u.legacy.post('/api/orders') : await u.saga.post('/api/orders');
        const ms = performance.now() - t0;
        if (res.status === 201) latencies.push(ms);
        else failures.set(String(res.status), (failures.get(String(res.status)) ?? 0) + 1);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      side, ok: latencies.length, failed: Object.fromEntries(failures), seconds: +seconds.toFixed(2),
      // Throughput counts only checkout time per virtual user loop (cart adds included in the wall clock).
      checkoutsPerSecond: +(latencies.length / seconds).toFixed(1),
      p50ms: +quantile(latencies, 0.5).toFixed(1), p99ms: +quantile(latencies, 0.99).toFixed(1), maxMs: +(latencies.at(-1) ?? NaN).toFixed(1),
    };
  };

  // Warm up both paths (JIT, pools, the workflow bundle) before measuring.
  for (const u of users.slice(0, 2)) {
    await u.addToCart(productIds[0]!, 1); await u.legacy.post('/api/orders');
    await u.addToCart(productIds[0]!, 1); await u.saga.post('/api/orders');
  }
  const results = [await run('monolith'), await run('saga')];
  await s.expectConsistent();
  console.log(`checkout benchmark: ${checkouts} per side, ${concurrency} concurrent users, direct (not through the proxy), loopback; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('side       ok    failed           s     checkouts/s   p50 ms   p99 ms   max ms');
  for (const r of results) {
    console.log(`${r.side.padEnd(9)} ${String(r.ok).padStart(4)}  ${JSON.stringify(r.failed).padEnd(14)} ${String(r.seconds).padStart(6)}  ${String(r.checkoutsPerSecond).padStart(12)}  ${String(r.p50ms).padStart(7)}  ${String(r.p99ms).padStart(7)}  ${String(r.maxMs).padStart(7)}`);
  }
  console.log(JSON.stringify({ checkouts, concurrency, results }));
} finally {
  await s.stop();
}
