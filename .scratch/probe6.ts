import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSagaStack } from '../workflows/src/testing/saga-stack.ts';
import { readSagaTimings } from '../workflows/src/order-saga/saga-history.ts';
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });
const s = await startSagaStack('probe', { waitMs: 10_000, inProcessWorker: !process.env.CHILD });
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const child = process.env.CHILD ? spawn(process.execPath, [fileURLToPath(new URL('../workflows/src/worker.ts', import.meta.url))], { env: { ...process.env, ...s.workerEnv, LOG_LEVEL: 'warn' }, stdio: 'inherit' }) : undefined;
await new Promise((r) => setTimeout(r, 3000));
try {
  const users = await Promise.all(Array.from({ length: 40 }, () => s.user()));
  for (let round = 0; round < 3; round++) {
    const p = await s.product(500, 10);
    const since = new Date();
    const byState: Record<string, number[]> = {}; const t: number[] = []; const states: Record<string, number> = {};
    await Promise.all(users.map(async (u, i) => {
      const t0 = performance.now();
      const r = await s.saga.placeOrder(`p6-${Date.now()}-${round}-${i}`, { userId: u.id, customer: { email: 'a@b.c', name: 'n' }, items: [{ productId: p, sku: 'S', name: 'N', unitPriceCents: 500, quantity: 1 }] }, 10_000);
      t.push(performance.now() - t0); (byState[r.state] ??= []).push(Math.round(performance.now() - t0)); const k = r.state === 'failed' ? r.code : r.state; states[k] = (states[k] ?? 0) + 1;
    }));
    t.sort((a, b) => a - b); for (const [k, v] of Object.entries(byState)) console.log(k, v.sort((a, b) => a - b).join(' '));
    console.log('race', round, JSON.stringify(states), 'p50', t[20]!.toFixed(0), 'max', t[39]!.toFixed(0));
    if (round === 2) console.log(JSON.stringify((await readSagaTimings(s.client, { taskQueue: s.taskQueue, since })).medianMs));
  }
} finally { child?.kill('SIGTERM'); await s.stop(); }
