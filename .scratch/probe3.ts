import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSagaStack } from '../workflows/src/testing/saga-stack.ts';
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });
const s = await startSagaStack('probe', { waitMs: 10_000 });
try {
  const p = await s.product(500, 1_000_000);
  const t: Record<string, number[]> = {};
  const time = async (name: string, f: () => Promise<unknown>) => { const t0 = performance.now(); const r = await f(); (t[name] ??= []).push(performance.now() - t0); return r; };
  const u = await s.user();
  for (let i = 0; i < 40; i++) {
    const r = await time('saga.placeOrder', () => s.saga.placeOrder(`p3-${Date.now()}-${i}`, { userId: u.id, customer: { email: 'a@b.c', name: 'n' }, items: [{ productId: p, sku: 'S', name: 'N', unitPriceCents: 500, quantity: 1 }] }, 10_000)) as { state: string };
    if (r.state !== 'completed') console.log(r);
    await u.addToCart(p, 1);
    await time('http checkout', () => u.saga.post('/api/orders'));
  }
  for (const [k, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(k.padEnd(24), 'p50', v[Math.floor(v.length / 2)]!.toFixed(1), 'p90', v[Math.floor(v.length * 0.9)]!.toFixed(1)); }
} finally { await s.stop(); }
