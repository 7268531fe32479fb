// Shadow-traffic benchmark (issue 5): the primary path's latency at a FIXED request rate (half of
// the legacy-only saturation rate) with shadow at 100 % sampling + comparison, against legacy-only,
// same run; and requests per second at saturation with 10 % and 100 % sampling. Fixed rate by hey
// (Debian package, installed if missing) or oha (open loop, built from crates.io once), saturation
// by wrk. Loopback only; bounded; stops its children by pid.
// Usage: node bench/shadow-bench.ts [--seconds 10] [--rounds 2] [--generator hey|oha] [--share 0.5]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { ensureDebianPackages, ensureOha } from '@ficus/stack';
import { children, freePort, median, modeFlag, start, stop, waitHttp, wrk, type Mode } from './bench-kit.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' }, generator: { type: 'string', default: 'hey' }, share: { type: 'string', default: '0.5' } } });
/** The fixed rate as a share of legacy-only saturation (the issue's goal is at 0.5). */
const share = Math.min(1, Math.max(0.05, Number(values.share)));
if (values.generator !== 'hey' && values.generator !== 'oha') throw new Error(`--generator: hey or oha, not ${values.generator}`);
const seconds = Math.min(60, Math.max(3, Number(values.seconds)));
const rounds = Math.min(5, Math.max(1, Number(values.rounds)));
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ficus-shadow-bench-'));
const path = '/bench/x';

/** A load generator's standard output, once it exits (it stops by itself after its duration). */
const output = (command: string, args: string[]) => new Promise<string>((resolve, reject) => {
  const h = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let o = '';
  h.stdout.on('data', (d: Buffer) => { o += d.toString(); });
  h.on('exit', (code) => (code === 0 ? resolve(o) : reject(new Error(`${command} failed: ${o}`))));
});

/**
 * `rate` requests per second for `secs` with hey (Debian's, written in Go: cheap enough not to steal
 * the proxy's CPU as a Node generator does on 2 cores): 64 workers, each held to rate/64 per
 * second. Closed loop per worker, so a stall delays that worker's next request rather than
 * piling up; with 64 workers a slow primary still shows in p99.
 */
const fixedRate = async (origin: string, rate: number, secs: number) => {
  const workers = 64;
  const out = await output('hey', ['-z', `${secs}s`, '-c', String(workers), '-q', String(Math.max(1, Math.round(rate / workers))), '-disable-compression', `${origin}${path}`]);
  const pct = (p: number) => Number(new RegExp(`${p}%+ in ([\\d.]+) secs`).exec(out)?.[1] ?? NaN) * 1000;
  const ok = Number(/\[200\]\s+(\d+) responses/.exec(out)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const errorLines = /Error distribution:([\s\S]*)$/.exec(out)?.[1] ?? '';
  const errors = [...errorLines.matchAll(/\[(\d+)\]/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { p50: pct(50), p99: pct(99), errors, sent: ok + errors, rps };
};

/**
 * The same with oha: open loop (requests are scheduled at `rate` whether or not earlier ones have
 * answered) and latency corrected (measured from when a request was due, not when a connection was
 * free), so a stall shows in full instead of slowing the generator down (coordinated omission).
 */
const fixedRateOha = async (oha: string, origin: string, rate: number, secs: number) => {
  const out = await output(oha, ['-z', `${secs}s`, '-c', '64', '-q', String(rate), '--latency-correction', '--no-tui', '--output-format', 'json', `${origin}${path}`]);
  const r = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as {
    summary: { requestsPerSec: number }; latencyPercentiles: Record<string, number>;
    statusCodeDistribution: Record<string, number>; errorDistribution: Record<string, number>;
  };
  const ok = r.statusCodeDistribution['200'] ?? 0;
  // requests still in flight when the duration ends are reported as "aborted due to deadline": not errors
  const errors = Object.entries(r.errorDistribution).reduce((n, [k, x]) => n + (k === 'aborted due to deadline' ? 0 : x), 0)
    + Object.entries(r.statusCodeDistribution).reduce((n, [k, x]) => n + (k === '200' ? 0 : x), 0);
  return { p50: r.latencyPercentiles.p50! * 1000, p99: r.latencyPercentiles.p99! * 1000, errors, sent: ok + errors, rps: r.summary.requestsPerSec };
};

try {
  const oha = values.generator === 'oha' ? await ensureOha() : undefined;
  if (!oha) await ensureDebianPackages('shadow-bench', '/usr/bin/hey', ['hey']);
  const backendPort = await freePort();
  start(process.execPath, [join(root, 'bench/bench-backend.ts'), String(backendPort)]);
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  await waitHttp(`${backendUrl}${path}`, 'backend');
  writeFileSync(join(dir, 'primary-body.json'), Buffer.from(await (await fetch(`${backendUrl}${path}`)).arrayBuffer()));
  const shadowPort = await freePort();
  start(process.execPath, [join(root, 'bench/bench-backend.ts'), String(shadowPort), join(dir, 'primary-body.json')]);
  await waitHttp(`http://127.0.0.1:${shadowPort}${path}`, 'shadow target');
  writeFileSync(join(dir, 'routes.json'), JSON.stringify({ routes: [{ id: 'bench-1k', method: ['GET', 'HEAD'], path: '/bench/*', service: 'catalog', flag: 'ficus.bench.route' }] }));
  writeFileSync(join(dir, 'shadow-rules.json'), JSON.stringify({ routes: { 'bench-1k': { sampleRate: 1 } } }));
  const deadPort = await freePort();
  const proxies = new Map<Mode, string>();
  const admins = new Map<Mode, string>();
  /** The shadow route's counters from the proxy's admin API (compared, shed, …). */
  const counts = async (mode: Mode): Promise<Record<string, number>> => {
    const r = await fetch(`${admins.get(mode)}/shadow/report/bench-1k`, { headers: { authorization: 'Bearer ficus-local-proxy-admin-token' } });
    const body = (await r.json()) as { counts?: Record<string, number>; routes?: Array<{ counts: Record<string, number> }> };
    return body.counts ?? body.routes?.[0]?.counts ?? {};
  };
  for (const mode of ['legacy', 'shadow10', 'shadow100'] as Mode[]) {
    const [port, adminPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, `flags-${mode}.json`), JSON.stringify({ flags: { 'ficus.bench.route': modeFlag[mode] } }));
    start(process.execPath, [join(root, 'strangler-proxy/src/main.ts')], {
      FICUS_PROXY_PORT: String(port), FICUS_PROXY_ADMIN_PORT: String(adminPort), FICUS_PROXY_SHADOW_DB_URL: 'memory',
      FICUS_PROXY_ROUTES_FILE: join(dir, 'routes.json'), FICUS_PROXY_FLAGS_BOOTSTRAP_FILE: join(dir, `flags-${mode}.json`),
      FICUS_PROXY_TARGET_LEGACY: backendUrl, FICUS_PROXY_TARGET_CATALOG: `http://127.0.0.1:${shadowPort}`,
      FICUS_PROXY_SHADOW_RULES_FILE: join(dir, 'shadow-rules.json'), FICUS_PROXY_ACCESS_LOG: 'errors',
      FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '1000', FICUS_PROXY_FLAG_STALENESS_MS: '86400000', FICUS_UNLEASH_URL: `http://127.0.0.1:${deadPort}`,
      LOG_LEVEL: 'warn',
    });
    proxies.set(mode, `http://127.0.0.1:${port}`);
    admins.set(mode, `http://127.0.0.1:${adminPort}`);
    await waitHttp(`http://127.0.0.1:${port}${path}`, `proxy ${mode}`, 90_000);
    await wrk(`http://127.0.0.1:${port}${path}`, 32, 2); // warm the JIT
  }

  const saturation = new Map<Mode, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const [mode, origin] of proxies) {
      const { total } = await wrk(`${origin}${path}`, 32, Math.min(seconds, 5));
      saturation.set(mode, [...(saturation.get(mode) ?? []), total / Math.min(seconds, 5)]);
    }
  }
  const legacyRps = median(saturation.get('legacy')!);
  const rate = Math.round(legacyRps * share);
  const fixed = new Map<Mode, Array<{ p50: number; p99: number; errors: number; sent: number; rps: number }>>();
  const before = await counts('shadow100');
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['legacy', 'shadow100'] as Mode[]) {
      fixed.set(mode, [...(fixed.get(mode) ?? []), await (oha ? fixedRateOha(oha, proxies.get(mode)!, rate, seconds) : fixedRate(proxies.get(mode)!, rate, seconds))]);
    }
  }
  await new Promise((r) => setTimeout(r, 1500)); // counters are flushed every 500 ms
  const after = await counts('shadow100');
  const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const fl = fixed.get('legacy')!, fs = fixed.get('shadow100')!;
  const [l50, l99, s50, s99] = [median(fl.map((x) => x.p50)), median(fl.map((x) => x.p99)), median(fs.map((x) => x.p50)), median(fs.map((x) => x.p99))];
  console.log(`shadow benchmark: trivial 1 KB endpoint, one proxy process per mode, ${rounds} round(s) of ${seconds} s, medians; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on 2 CPUs`);
  console.log(`saturation (wrk, 32 conns): legacy ${f(legacyRps, 0)} req/s · shadow 10% ${f(median(saturation.get('shadow10')!), 0)} (${f(median(saturation.get('shadow10')!) / legacyRps)}×) · shadow 100% + compare ${f(median(saturation.get('shadow100')!), 0)} (${f(median(saturation.get('shadow100')!) / legacyRps)}×)`);
  console.log(`fixed rate ${rate} req/s (${share === 0.5 ? 'half' : `${share} ×`} of legacy saturation; achieved ${f(median(fl.map((x) => x.rps)), 0)} / ${f(median(fs.map((x) => x.rps)), 0)}), ${oha ? 'oha, open loop, latency corrected, 64 connections' : 'hey, 64 workers'}:`);
  console.log(`  legacy only:            p50 ${f(l50)} ms  p99 ${f(l99)} ms  errors ${fl.reduce((n, x) => n + x.errors, 0)}/${fl.reduce((n, x) => n + x.sent, 0)}`);
  console.log(`  shadow 100% + compare:  p50 ${f(s50)} ms  p99 ${f(s99)} ms  errors ${fs.reduce((n, x) => n + x.errors, 0)}/${fs.reduce((n, x) => n + x.sent, 0)}`);
  console.log(`  p99 ratio shadow/legacy: ${f(s99 / l99)} (goal ≤ 1.10); per round, legacy · shadow: ${fl.map((x, i) => `${f(x.p99)} · ${f(fs[i]!.p99)}`).join(', ')} ms`);
  const offered = delta('mirrored') + delta('shed');
  console.log(`  shadow copies at the fixed rate: ${delta('mirrored')} mirrored, ${delta('compared')} compared (${delta('matched')} matched), ${delta('shed')} shed = ${f((100 * delta('shed')) / Math.max(1, offered), 1)}% of ${offered} offered (load guard from ${process.env.FICUS_PROXY_SHADOW_SHED_FROM_UTILIZATION ?? 'its default'}: FICUS_PROXY_SHADOW_SHED_FROM_UTILIZATION)`);
} finally {
  for (const c of children.reverse()) await stop(c);
  rmSync(dir, { recursive: true, force: true });
}
