// Checkout benchmark: the monolith's one-transaction checkout against the saga checkout (orders
// service → Temporal PlaceOrder across inventory, payments, orders), same run, same machine.
// Everything is in this process on 127.0.0.1 (services, monolith, saga worker, a strangler proxy)
// except MariaDB, Unleash and the Temporal dev server of the local stack. Checkouts go through the
// proxy, as users' do: POST /api/orders with the route's flag off (the monolith answers), then with
// it in service mode (the orders service runs the saga; the proxy signs the user's session).
//
//   node bench/saga-bench.ts [--checkouts 200] [--concurrency 8] [--max-seconds 120]
//
// Each virtual user loops: put one item in its cart (not timed), check out (timed). Bounded by
// --checkouts per side and --max-seconds overall; prints a table and a JSON line.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createHttpClient, waitFor } from '@ficus/common';
import { startSagaStack } from '../workflows/src/testing/saga-stack.ts';
import { startTestProxy, uniqueFlag, unleashAdmin } from '../strangler-proxy/src/testing/test-proxy.ts';

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
const flag = uniqueFlag('saga-bench');
const admin = unleashAdmin();
await admin.ensureFlag(flag);
const proxy = await startTestProxy({
  targets: { legacy: s.urls.legacy, orders: s.urls.orders },
  routes: [{ id: 'checkout', method: 'POST', path: '/api/orders', service: 'orders', flag, fallbackToLegacy: false, timeoutMs: 15_000 }],
  env: { FICUS_PROXY_TIMEOUT_MS: '15000' },
});
/** Waits until the proxy routes checkouts where the flag says (the flip takes up to ~2 s). */
const flagIs = async (mode: 'legacy' | 'service') => {
  if (mode === 'service') await admin.setMode(flag, 'service'); else await admin.setMode(flag, 'legacy');
  await waitFor(async () => {
    const r = await fetch(`${proxy.adminUrl}/routes`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const body = (await r.json()) as { routes: Array<{ id: string; mode: string }> };
    return body.routes.find((x) => x.id === 'checkout')?.mode === mode;
  }, { timeoutMs: 10_000, what: `checkout route in ${mode} mode` });
};
try {
  const productIds = [await s.product(500, 1_000_000), await s.product(1250, 1_000_000)];
  const users: Array<Awaited<ReturnType<typeof s.user>> & { viaProxy: ReturnType<typeof createHttpClient> }> = [];
  for (let i = 0; i < concurrency; i++) {
    const u = await s.user();
    // the user's own session, through the proxy: no header of ours, the proxy signs it for the service
    users.push({ ...u, viaProxy: createHttpClient(proxy.url, () => ({ cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })) });
  }

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
        const res = await u.viaProxy.post('/api/orders');
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

  // Warm up each path (JIT, pools, the workflow bundle) before measuring it.
  const warm = async () => { for (const u of users.slice(0, 2)) { await u.addToCart(productIds[0]!, 1); await u.viaProxy.post('/api/orders'); } };
  await flagIs('legacy');
  await warm();
  const monolith = await run('monolith');
  await flagIs('service');
  await warm();
  const results = [monolith, await run('saga')];
  await s.expectConsistent();
  console.log(`checkout benchmark: ${checkouts} per side, ${concurrency} concurrent users, through the strangler proxy, loopback; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('side       ok    failed           s     checkouts/s   p50 ms   p99 ms   max ms');
  for (const r of results) {
    console.log(`${r.side.padEnd(9)} ${String(r.ok).padStart(4)}  ${JSON.stringify(r.failed).padEnd(14)} ${String(r.seconds).padStart(6)}  ${String(r.checkoutsPerSecond).padStart(12)}  ${String(r.p50ms).padStart(7)}  ${String(r.p99ms).padStart(7)}  ${String(r.maxMs).padStart(7)}`);
  }
  console.log(JSON.stringify({ checkouts, concurrency, results }));
} finally {
  await proxy.close();
  await admin.deleteFlag(flag).catch(() => undefined);
  await s.stop();
}
