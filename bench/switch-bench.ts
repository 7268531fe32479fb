// What a write switch costs the users of the moving routes: checkouts through the strangler proxy at
// a fixed offered rate (open loop), the unit's writes switched legacy → services and back in the
// middle of it. Everything runs on this machine: the monolith, the services and the saga worker in
// this process, MariaDB, Kafka/Debezium, Temporal and Unleash of the local stack (the harness is the
// write-switch e2e test's).
//
//   node bench/switch-bench.ts [--rate 200] [--seconds 10] [--users 40] [--hold-ms 5000]
//
// --users bounds the checkouts in flight (each shopper has one at a time): the offered rate is
// reached only while the side that owns checkout keeps up (offers with no idle shopper are counted).
//
// Prints, per phase, the offered and achieved rate, checkout p50/p99 and errors; for the checkouts
// that were in the proxy while writes were held, the latency they added (their latency minus the p50
// of the side that then served them) p50/p99/max; each switch's hold as the ownership log recorded it.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createHttpClient } from '@ficus/common/testing';
import { sagaQuiesce, startSwitchStack, switchDomains } from '@ficus/workflows/testing';
import { switchOwnership } from '@ficus/workflows';

process.env.LOG_LEVEL ??= 'warn';
Runtime.install({ logger: new DefaultLogger('WARN') });

const { values } = parseArgs({ options: {
  rate: { type: 'string', default: '200' }, seconds: { type: 'string', default: '10' }, users: { type: 'string', default: '40' }, 'hold-ms': { type: 'string', default: '5000' },
} });
const rate = Math.max(1, Math.min(2_000, Number(values.rate)));
const phaseMs = Math.max(2, Math.min(600, Number(values.seconds))) * 1000;
const userCount = Math.max(1, Math.min(1_000, Number(values.users)));
const holdMs = Math.max(200, Math.min(30_000, Number(values['hold-ms'])));

const q = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN);
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(1)} ms`);

interface Sample { start: number; end: number; status: number; code: string | undefined; phase: string }

const w = await startSwitchStack('bench');
let stopping = false;
const onSignal = () => { if (stopping) return; stopping = true; void w.stop().finally(() => process.exit(130)); };
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  const product = await w.s.product(100, 100_000_000);
  process.stderr.write(`switch bench: ${userCount} shoppers…\n`);
  const users: Array<Awaited<ReturnType<typeof w.s.user>> & { busy: boolean; viaProxy: ReturnType<typeof createHttpClient> }> = [];
  for (let i = 0; i < userCount; i++) {
    const u = await w.s.user();
    await u.addToCart(product, 1);
    users.push({ ...u, busy: false, viaProxy: createHttpClient(w.proxy.url, () => ({ cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })) });
  }
  const sleep = (d: number) => new Promise((r) => setTimeout(r, d));
  const samples: Sample[] = [];
  let phase = 'legacy';
  let noIdleUser = 0;
  let running = true;
  const t0 = performance.now();
  const epochOf = (perf: number) => Date.now() - (performance.now() - perf);

  // open loop: one checkout offered every 1/rate s to an idle shopper (each has one item in its cart)
  const offer = () => {
    const u = users.find((x) => !x.busy);
    if (!u) { noIdleUser++; return; }
    u.busy = true;
    const start = performance.now();
    const p = phase;
    void u.viaProxy.post('/api/orders').then(async (r) => {
      samples.push({ start, end: performance.now(), status: r.status, code: (r.body as { error?: { code?: string } } | undefined)?.error?.code, phase: p });
      await u.addToCart(product, 1); // ready for the next one (not timed)
    }, () => { samples.push({ start, end: performance.now(), status: 0, code: 'network', phase: p }); }).finally(() => { u.busy = false; });
  };
  const ticker = (async () => {
    let n = 0;
    while (running) {
      offer();
      n++;
      const next = t0 + (n * 1000) / rate;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  const switches: Array<{ to: string; heldMs: number; steps: string; reverted: string[] }> = [];
  /** As the migration's activity does: a switch that reverted (the hold's deadline came first) is tried again. */
  const switchTo = async (to: 'service' | 'legacy') => {
    const reverted: string[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await switchOwnership(w.ports, { unit: 'shop', to, domains: [...switchDomains], by: `bench-${to}-${Date.now()}`, maxLagEvents: 100_000, holdMs, proxyLiveMs: 30_000, quiesce: sagaQuiesce });
        phase = to === 'legacy' ? 'legacy (back)' : to;
        switches.push({ to, heldMs: out.heldMs, steps: out.steps.map((s) => `${s.step} ${s.ms}`).join(', '), reverted });
        return;
      } catch (e) {
        reverted.push(`${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`);
        if ((e as { code?: string }).code !== 'SWITCH_REVERTED' || attempt >= 5) {
          switches.push({ to, heldMs: NaN, steps: 'FAILED: writes stayed with the old owner', reverted });
          return;
        }
        await sleep(2_000);
      }
    }
  };
  await sleep(phaseMs);
  await switchTo('service');
  await sleep(phaseMs);
  await switchTo('legacy');
  await sleep(phaseMs);
  running = false;
  await ticker;
  while (users.some((u) => u.busy)) await sleep(50);

  // the holds, as the ownership store recorded them (hold → flip)
  const log = (await w.ownership.log('shop', 20)).reverse();
  const holds: Array<{ from: number; to: number }> = [];
  for (let i = 0; i < log.length; i++) if (log[i]!.state === 'holding' && log[i + 1]) holds.push({ from: log[i]!.at, to: log[i + 1]!.at });
  const held = (x: Sample) => holds.some((h) => epochOf(x.start) <= h.to && epochOf(x.end) >= h.from);
  const ok = (x: Sample) => x.status === 201;

  const rows: string[] = [];
  const report: Record<string, unknown> = { rate, users: userCount, holdMs, noIdleUser };
  for (const p of ['legacy', 'service', 'legacy (back)']) {
    const inPhase = samples.filter((x) => x.phase === p && !held(x));
    const lat = inPhase.filter(ok).map((x) => x.end - x.start).sort((a, b) => a - b);
    const errors = inPhase.filter((x) => x.status >= 500 || x.status === 0).length;
    // the phase's own span: a switch takes tens of seconds before its hold (connectors), so phases are longer than --seconds
    const all = samples.filter((x) => x.phase === p);
    const seconds = all.length ? (Math.max(...all.map((x) => x.end)) - Math.min(...all.map((x) => x.start))) / 1000 : 1;
    rows.push(`${p.padEnd(13)} achieved ${(inPhase.length / seconds).toFixed(1)}/s of ${rate}/s offered · p50 ${ms(q(lat, 0.5))} p99 ${ms(q(lat, 0.99))} · errors ${errors}`);
    report[p] = { achievedPerSecond: +(inPhase.length / seconds).toFixed(1), p50: q(lat, 0.5), p99: q(lat, 0.99), errors };
  }
  const heldSamples = samples.filter(held);
  const p50Of = (side: string) => q(samples.filter((x) => x.phase === side && !held(x) && ok(x)).map((x) => x.end - x.start).sort((a, b) => a - b), 0.5);
  const added = heldSamples.filter(ok).map((x) => x.end - x.start - p50Of(x.phase)).sort((a, b) => a - b);
  const heldErrors = heldSamples.filter((x) => x.status >= 500 || x.status === 0);
  rows.push(`held     ${heldSamples.length} checkouts were in the proxy while writes were held · added p50 ${ms(q(added, 0.5))} p99 ${ms(q(added, 0.99))} max ${ms(added[added.length - 1] ?? NaN)} · errors ${heldErrors.length}${heldErrors.length ? ` (${[...new Set(heldErrors.map((x) => `${x.status} ${x.code}`))].join(', ')})` : ''}`);
  for (const sw of switches) {
    rows.push(`switch → ${sw.to}: writes held ${sw.heldMs} ms (${sw.steps})`);
    for (const r of sw.reverted) rows.push(`  a try that did not switch (writes went on to the old owner): ${r}`);
  }
  rows.push(`offers with no idle shopper (all ${userCount} in a checkout): ${noIdleUser}`);
  report.held = { checkouts: heldSamples.length, addedP50: q(added, 0.5), addedP99: q(added, 0.99), addedMax: added[added.length - 1] ?? null, errors: heldErrors.length };
  report.switches = switches;
  console.log(rows.join('\n'));
  console.log(JSON.stringify(report));
} finally {
  if (!stopping) await w.stop();
}
