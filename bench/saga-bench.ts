// Checkout benchmark: the monolith's one-transaction checkout against the saga checkout (orders
// service → Temporal PlaceOrder across inventory, payments, orders), same run, same machine.
// Everything is in this process on 127.0.0.1 (services, monolith, saga worker, a strangler proxy)
// except MariaDB, Unleash and the Temporal dev server of the local stack. Checkouts go through the
// proxy, as users' do: POST /api/orders with the route's flag off (the monolith answers), then with
// it in service mode (the orders service runs the saga; the proxy signs the user's session).
//
//   node bench/saga-bench.ts [--runs 3] [--sequential 40] [--racers 40] [--units 10] [--rounds 3]
//
// Per run and side: one user checking out `--sequential` times in a row (putting one item in the
// cart is not timed), then `--rounds` races of `--racers` users for `--units` units of a fresh
// product (every answer timed, successes counted). Then the per-step times of the saga's sequential
// checkouts, read from their workflow histories. Prints a table per run, the medians over the runs,
// and a JSON line.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { waitFor } from '@ficus/common';
import { createHttpClient } from '@ficus/common/testing';
import { median } from './bench-kit.ts';
import { startSagaStack } from '@ficus/workflows/testing';
import { readSagaTimings, type SagaTimings } from '@ficus/workflows';
import { startTestProxy, uniqueFlag, unleashAdmin } from '@ficus/strangler-proxy/testing';

// Access logs of four in-process apps would measure stdout, not checkout.
process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });

const { values } = parseArgs({ options: {
  runs: { type: 'string', default: '3' }, sequential: { type: 'string', default: '40' }, racers: { type: 'string', default: '40' },
  units: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' },
} });
const int = (v: string | undefined, min: number, max: number) => Math.max(min, Math.min(max, Math.floor(Number(v)) || min));
const runs = int(values.runs, 1, 10);
const sequential = int(values.sequential, 5, 1_000);
const racers = int(values.racers, 2, 200);
const units = int(values.units, 1, racers);
const rounds = int(values.rounds, 1, 20);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const ms = (n: number) => +n.toFixed(1);

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
  await admin.setMode(flag, mode);
  await waitFor(async () => {
    const r = await fetch(`${proxy.adminUrl}/routes`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const body = (await r.json()) as { routes: Array<{ id: string; mode: string }> };
    return body.routes.find((x) => x.id === 'checkout')?.mode === mode;
  }, { timeoutMs: 10_000, what: `checkout route in ${mode} mode` });
};

type Side = 'monolith' | 'saga';
interface SideResult {
  side: Side;
  single: { n: number; failed: number; p50ms: number; p99ms: number };
  race: { rounds: number; racers: number; units: number; successes: number; outOfStock: number; other: number; p50ms: number; p99ms: number; checkoutsPerSecond: number };
}

try {
  const plenty = await s.product(500, 10_000_000);
  const newUser = async () => {
    const u = await s.user();
    // the user's own session, through the proxy: no header of ours, the proxy signs it for the service
    return { ...u, viaProxy: createHttpClient(proxy.url, () => ({ cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })) };
  };
  const solo = await newUser();
  const crowd = await Promise.all(Array.from({ length: racers }, newUser));

  const runSide = async (side: Side): Promise<SideResult> => {
    const single: number[] = [];
    let singleFailed = 0;
    for (let i = 0; i < sequential; i++) {
      await solo.addToCart(plenty, 1);
      const t0 = performance.now();
      const res = await solo.viaProxy.post('/api/orders');
      const took = performance.now() - t0;
      if (res.status === 201) single.push(took); else singleFailed += 1;
    }
    const answers: number[] = [];
    let successes = 0, outOfStock = 0, other = 0, raceSeconds = 0;
    for (let r = 0; r < rounds; r++) {
      const product = await s.product(700, units);
      await Promise.all(crowd.map((u) => u.addToCart(product, 1)));
      const started = performance.now();
      await Promise.all(crowd.map(async (u) => {
        const t0 = performance.now();
        const res = await u.viaProxy.post('/api/orders');
        answers.push(performance.now() - t0);
        if (res.status === 201) successes += 1;
        else if (res.status === 409) outOfStock += 1;
        else other += 1;
        // A loser's line stays in the cart: clear it for the next round.
        if (res.status !== 201) await u.legacy.delete(`/api/cart/items/${product}`);
      }));
      raceSeconds += (performance.now() - started) / 1000;
    }
    single.sort((a, b) => a - b);
    answers.sort((a, b) => a - b);
    return {
      side,
      single: { n: single.length, failed: singleFailed, p50ms: ms(quantile(single, 0.5)), p99ms: ms(quantile(single, 0.99)) },
      race: {
        rounds, racers, units, successes, outOfStock, other, p50ms: ms(quantile(answers, 0.5)), p99ms: ms(quantile(answers, 0.99)),
        checkoutsPerSecond: +(answers.length / raceSeconds).toFixed(1),
      },
    };
  };

  // Warm up each path (JIT, pools, the workflow bundle and cache) before measuring it.
  const warm = async () => { for (let i = 0; i < 5; i++) { await solo.addToCart(plenty, 1); await solo.viaProxy.post('/api/orders'); } };
  const all: Array<{ monolith: SideResult; saga: SideResult; steps: SagaTimings }> = [];
  for (let run = 1; run <= runs; run++) {
    await flagIs('legacy');
    await warm();
    const monolith = await runSide('monolith');
    await flagIs('service');
    await warm();
    const since = new Date();
    const saga = await runSide('saga');
    await s.expectConsistent();
    const steps = await readSagaTimings(s.client, { taskQueue: s.taskQueue, userId: solo.id, since });
    all.push({ monolith, saga, steps });
    console.log(`\nrun ${run}/${runs}: through the strangler proxy, loopback; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('side       one user: n  p50 ms  p99 ms   | race: successes/units  409s  other   p50 ms   p99 ms  answers/s');
    for (const r of [monolith, saga]) {
      console.log(`${r.side.padEnd(9)} ${String(r.single.n).padStart(11)} ${String(r.single.p50ms).padStart(7)} ${String(r.single.p99ms).padStart(7)}   | ${`${r.race.successes}/${r.race.units * r.race.rounds}`.padStart(21)} ${String(r.race.outOfStock).padStart(5)} ${String(r.race.other).padStart(6)} ${String(r.race.p50ms).padStart(8)} ${String(r.race.p99ms).padStart(8)} ${String(r.race.checkoutsPerSecond).padStart(10)}`);
    }
    console.log(`saga steps, median of ${steps.workflows} sequential checkouts' histories (ms):`);
    for (const [name, v] of Object.entries(steps.medianMs)) console.log(`  ${name.padEnd(34)} ${String(v).padStart(7)}`);
  }

  const med = (pick: (r: (typeof all)[number]) => number) => ms(median(all.map(pick)));
  const summary = {
    runs,
    single: { monolithP50: med((r) => r.monolith.single.p50ms), monolithP99: med((r) => r.monolith.single.p99ms), sagaP50: med((r) => r.saga.single.p50ms), sagaP99: med((r) => r.saga.single.p99ms) },
    race: {
      monolithP50: med((r) => r.monolith.race.p50ms), monolithP99: med((r) => r.monolith.race.p99ms), sagaP50: med((r) => r.saga.race.p50ms), sagaP99: med((r) => r.saga.race.p99ms),
      sagaP99OverMonolithP99: med((r) => r.saga.race.p99ms / r.monolith.race.p99ms),
      monolithAnswersPerSecond: med((r) => r.monolith.race.checkoutsPerSecond), sagaAnswersPerSecond: med((r) => r.saga.race.checkoutsPerSecond),
      successesEqualUnits: all.every((r) => r.monolith.race.successes === units * rounds && r.saga.race.successes === units * rounds),
    },
  };
  console.log(`\nmedians of ${runs} run(s): one user  monolith p50 ${summary.single.monolithP50} ms p99 ${summary.single.monolithP99} ms | saga p50 ${summary.single.sagaP50} ms p99 ${summary.single.sagaP99} ms`);
  console.log(`                    ${racers} racers for ${units} units  monolith p50 ${summary.race.monolithP50} ms p99 ${summary.race.monolithP99} ms | saga p50 ${summary.race.sagaP50} ms p99 ${summary.race.sagaP99} ms (saga p99 / monolith p99 = ${summary.race.sagaP99OverMonolithP99}); successes == units in every round: ${summary.race.successesEqualUnits}`);
  console.log(JSON.stringify({ sequential, racers, units, rounds, summary, runs: all }));
} finally {
  await proxy.close();
  await admin.deleteFlag(flag).catch(() => undefined);
  await s.stop();
}
