// Flag flip latency: how long after a flip in Unleash's Admin API a proxy serves from the new side.
// The claim "flips are followed within 2 s" (docs/components/strangler-proxy.md) is measured here,
// not asserted in a timed test: a proxy in process against the stack's real Unleash, two backends
// that name themselves, and --flips flips each way, the proxy asked every 10 ms until it answers
// from the new side. Prints p50, p90 and max per direction, and the flip's parts (the proxy's
// refresh interval, Unleash's revision tick). Loopback only; stops by itself.
// Usage: node bench/flags-bench.ts [--flips 10] [--refresh-ms 750]  (the stack must be up)
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startTestBackend, startTestProxy, uniqueFlag, unleashAdmin } from '@ficus/strangler-proxy/testing';

const { values } = parseArgs({ options: { flips: { type: 'string', default: '10' }, 'refresh-ms': { type: 'string', default: '750' } } });
const flips = Math.min(100, Math.max(1, Number(values.flips) || 10));
const refreshMs = Math.min(60_000, Math.max(100, Number(values['refresh-ms']) || 750));
const giveUpMs = 30_000;

const admin = unleashAdmin();
const flag = uniqueFlag('flags-bench');
const legacy = await startTestBackend('legacy');
const service = await startTestBackend('service');
await admin.ensureFlag(flag, 'flags bench (deleted at the end)');
await admin.setMode(flag, 'legacy');
const proxy = await startTestProxy({
  targets: { legacy: legacy.origin, svc: service.origin },
  routes: [{ id: 'flip', method: '*', path: '/flip/*', service: 'svc', flag }],
  env: { FICUS_PROXY_FLAG_REFRESH_MS: String(refreshMs) },
});

const side = async () => ((await (await fetch(`${proxy.url}/flip/x`)).json()) as { backend: string }).backend;
/** Milliseconds from the Admin API's answer to the first proxied answer from `expected`. */
const flipTo = async (mode: 'service' | 'legacy', expected: string) => {
  while ((await side()) === expected) await new Promise((r) => setTimeout(r, 10)); // from the other side first
  await admin.setMode(flag, mode);
  const t0 = performance.now();
  while ((await side()) !== expected) {
    if (performance.now() - t0 > giveUpMs) throw new Error(`the proxy did not follow the flip to ${mode} within ${giveUpMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - t0;
};

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!; };
const row = (name: string, xs: number[]) => `${name.padEnd(12)} p50 ${quantile(xs, 0.5).toFixed(0).padStart(5)} ms   p90 ${quantile(xs, 0.9).toFixed(0).padStart(5)} ms   max ${Math.max(...xs).toFixed(0).padStart(5)} ms`;

try {
  await admin.setMode(flag, 'legacy');
  const toService: number[] = [];
  const toLegacy: number[] = [];
  for (let i = 0; i < flips; i++) {
    toService.push(await flipTo('service', 'service'));
    toLegacy.push(await flipTo('legacy', 'legacy'));
    process.stderr.write(`flip ${i + 1}/${flips}: to service ${toService.at(-1)!.toFixed(0)} ms, to legacy ${toLegacy.at(-1)!.toFixed(0)} ms\n`);
  }
  const all = [...toService, ...toLegacy];
  console.log(`flag flip latency, ${flips} flips each way (proxy refresh ${refreshMs} ms, ${proxy.config.engine} engine; Unleash recomputes its client revision about once a second)`);
  console.log(row('to service', toService));
  console.log(row('to legacy', toLegacy));
  console.log(row('all', all));
  console.log(`within 2 s: ${all.filter((x) => x <= 2_000).length} of ${all.length}; expected bound ${refreshMs} ms refresh + ~1000 ms revision + the request`);
} finally {
  await proxy.close();
  await legacy.close();
  await service.close();
  await admin.deleteFlag(flag).catch(() => undefined);
}
