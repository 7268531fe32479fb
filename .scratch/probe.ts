import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createServiceClient, devServiceAuthSecret } from '@ficus/common';
import { startSagaStack } from '../workflows/src/testing/saga-stack.ts';
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });
const s = await startSagaStack('probe', { waitMs: 10_000 });
try {
  const p = await s.product(500, 1_000_000);
  const inv = createServiceClient({ service: 'inventory', baseUrl: s.urls.inventory, authSecret: devServiceAuthSecret, timeoutMs: 4000 });
  const pay = createServiceClient({ service: 'payments', baseUrl: s.urls.payments, authSecret: devServiceAuthSecret, timeoutMs: 4000 });
  const t: Record<string, number[]> = {};
  const time = async (name: string, f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); (t[name] ??= []).push(performance.now() - t0); };
  for (let i = 0; i < 40; i++) {
    const key = `probe-${Date.now()}-${i}`;
    await time('reserve', () => inv({ method: 'PUT', path: `/internal/reservations/${key}:stock`, body: { items: [{ productId: p, quantity: 1 }], ttlSeconds: 900, reference: key } }));
    await time('authorize', () => pay({ method: 'PUT', path: `/internal/payment-intents/${key}:payment`, body: { amountCents: 500, currency: 'EUR', reference: key } }));
    await time('capture', () => pay({ method: 'POST', path: `/internal/payment-intents/${key}:payment/capture` }));
    await time('confirm', () => inv({ method: 'POST', path: `/internal/reservations/${key}:stock/confirm` }));
    const u = await s.user();
    await u.addToCart(p, 1);
    await time('saga checkout direct', () => u.saga.post('/api/orders'));
    await u.addToCart(p, 1);
    await time('legacy checkout direct', () => u.legacy.post('/api/orders'));
  }
  for (const [k, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(k.padEnd(24), 'p50', v[Math.floor(v.length / 2)]!.toFixed(1), 'p90', v[Math.floor(v.length * 0.9)]!.toFixed(1)); }
} finally { await s.stop(); }
