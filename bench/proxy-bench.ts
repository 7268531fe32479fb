// Proxy benchmark (issues 4 and 10): wrk on loopback, one process each, same run, same backends:
//   direct → backend, nginx (1 worker, upstream keep-alive) → backend, and the strangler proxy in
//   legacy, service, shadow 10 % and shadow 100 % (+ comparison) modes, on the monolith's real
//   product list (seeded test database) and on a trivial 1 KB endpoint, at each connection count,
//   plus p50 at one connection. Prints medians of --runs runs, CPU µs per request per process
//   (/proc utime+stime), peak RSS and the ratios. Loopback only; stops every child by pid. Not a test.
// Usage: node bench/proxy-bench.ts [--duration 5] [--connections 32,128] [--runs 3]
//          [--endpoints trivial,products] [--modes legacy,service,shadow10,shadow100]
//          [--access-log errors|all] [--before <dir holding an older strangler-proxy/>]
//          [--tracing 0,0.01]  also legacy-mode proxies with FICUS_TRACING=on at each sample ratio
//                              (0: unsampled, traceparent still propagated), compared with tracing off,
//                              also bracketed: off, ratio r, off, … back to back, each ratio against the
//                              mean of the two off measurements around it (cancels the machine's drift),
//                              and in process: the per-request tracing work timed on one thread,
//                              and side by side: off and tracing measured at the same time (two wrk,
//                              half the connections each, one backend), so both see the same machine
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureDebianPackages } from '@ficus/stack';
import { measureTracingCost, type TracingCost } from '@ficus/strangler-proxy/bench';
import { children, cpuMicros, freePort, median, modeFlag, peakRssMb, start, stop, toMs, waitHttp, wrk, type Mode } from './bench-kit.ts';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const list = (name: string, fallback: string) => arg(name, fallback).split(',').filter(Boolean);
const duration = Math.min(60, Math.max(2, Number(arg('duration', '5'))));
const connectionSets = list('connections', '32,128').map(Number);
const runs = Math.min(9, Math.max(1, Number(arg('runs', '3'))));
const endpoints = list('endpoints', 'trivial,products') as Array<'trivial' | 'products'>;
const modes = list('modes', 'legacy,service,shadow10,shadow100') as Mode[];
const accessLog = arg('access-log', 'errors');
const before = arg('before', '');
const tracingRatios = list('tracing', '').map(Number).filter((r) => r >= 0 && r <= 1);
const tracingName = (r: number) => (r === 0 ? 'proxy legacy, tracing unsampled' : `proxy legacy, tracing ${+(r * 100).toFixed(2)}%`);
const dir = mkdtempSync(join(tmpdir(), 'ficus-bench-'));

/** Processes whose CPU is counted per request. */
interface Watched { front?: number; backend: number; shadow?: number }
interface Sample {
  endpoint: string; path: string; connections: number; run: number;
  rps: number; p50: number; p99: number; errors: number; timeouts: number; load: number;
  frontUs: number; backendUs: number; shadowUs: number;
}

const measure = async (endpoint: string, path: string, url: string, connections: number, run: number, pids: Watched): Promise<Sample> => {
  const before0 = { f: pids.front ? cpuMicros(pids.front) : 0, b: cpuMicros(pids.backend), s: pids.shadow ? cpuMicros(pids.shadow) : 0 };
  const load = loadavg()[0]!;
  const { out, total } = await wrk(url, connections, duration);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) : 0);
  const timeouts = sock ? Number(sock[4]) : 0; // wrk gave up after 2 s: slow, not failed
  return {
    endpoint, path, connections, run, load, errors, timeouts,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: toMs(/\s50%\s+([\d.]+\w+)/.exec(out)?.[1] ?? 'NaN'),
    p99: toMs(/\s99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? 'NaN'),
    frontUs: pids.front ? (cpuMicros(pids.front) - before0.f) / total : NaN,
    backendUs: (cpuMicros(pids.backend) - before0.b) / total,
    shadowUs: pids.shadow ? (cpuMicros(pids.shadow) - before0.s) / total : NaN,
  };
};

const nginxConfig = (port: number, upstreamPort: number, d: string) => `
worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${d}/body; proxy_temp_path ${d}/proxy; fastcgi_temp_path ${d}/fcgi; uwsgi_temp_path ${d}/uwsgi; scgi_temp_path ${d}/scgi;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}`;

const samples: Sample[] = [];
/** Bracketed tracing comparisons: one tracing measurement against the tracing-off ones just before and after it. */
interface Bracket { endpoint: string; name: string; connections: number; rpsRatio: number; cpuRatio: number }
const brackets: Bracket[] = [];
/** Side by side: tracing off and on measured at the same moment, each with half the connections. */
const pairs: Bracket[] = [];
/** In process: what tracing adds to one request's work (the same for every endpoint: measured once, its spans to a shadow target). */
let inProcess: TracingCost | undefined;
const peaks = new Map<string, number>();
const compareCounts: string[] = [];

const benchEndpoint = async (endpoint: 'trivial' | 'products') => {
  const local: ChildProcess[] = [];
  const d = mkdtempSync(join(dir, `${endpoint}-`));
  const backendPort = await freePort();
  const backend = endpoint === 'trivial'
    ? start(process.execPath, [join(root, 'bench/bench-backend.ts'), String(backendPort)])
    : start(process.execPath, [join(root, 'bench/bench-monolith.ts'), String(backendPort)]);
  local.push(backend);
  const path = endpoint === 'trivial' ? '/bench/x' : '/api/products?pageSize=20';
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  await waitHttp(`${backendUrl}${path}`, endpoint === 'trivial' ? 'backend' : 'monolith (migrate + seed)', 180_000);
  // The shadow target stands for a fast service answering the same body (a copy of the primary's).
  writeFileSync(join(d, 'primary-body.json'), Buffer.from(await (await fetch(`${backendUrl}${path}`)).arrayBuffer()));
  const shadowPort = await freePort();
  const shadow = start(process.execPath, [join(root, 'bench/bench-backend.ts'), String(shadowPort), join(d, 'primary-body.json')]);
  local.push(shadow);
  await waitHttp(`http://127.0.0.1:${shadowPort}/`, 'shadow target');

  const nginxPort = await freePort();
  writeFileSync(join(d, 'nginx.conf'), nginxConfig(nginxPort, backendPort, d));
  const nginx = start('/usr/sbin/nginx', ['-c', join(d, 'nginx.conf'), '-p', d, '-e', join(d, 'nginx-error.log')]);
  local.push(nginx);
  await waitHttp(`http://127.0.0.1:${nginxPort}${path}`, 'nginx');
  const nginxWorker = Number(readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, 'utf8').trim().split(' ')[0]);

  // One proxy process per mode, each with a bootstrap setting the bench flag; Unleash is pointed at
  // a closed port and staleness is long, so the bootstrap holds for the whole run.
  writeFileSync(join(d, 'routes.json'), JSON.stringify({
    routes: [{ id: endpoint === 'trivial' ? 'bench-1k' : 'catalog-products', method: ['GET', 'HEAD'], path: endpoint === 'trivial' ? '/bench/*' : '/api/products/*', service: 'catalog', flag: 'ficus.bench.route', safe: 'legacy', fallbackToLegacy: true }],
  }));
  // Per-route shadow rules (issue 5's pipeline reads them; older builds ignore the variable).
  writeFileSync(join(d, 'shadow-rules.json'), JSON.stringify({ routes: { [endpoint === 'trivial' ? 'bench-1k' : 'catalog-products']: { sampleRate: 1 } } }));
  const deadPort = await freePort();
  const proxies: Array<{ name: string; port: number; pid: number; child: ChildProcess }> = [];
  const entries: Array<{ name: string; mode: Mode; entry: string; env?: Record<string, string> }> = modes.map((m) => ({
    name: m === 'shadow100' ? 'proxy shadow 100% + compare' : m === 'shadow10' ? 'proxy shadow 10%' : `proxy ${m}`,
    mode: m, entry: join(root, 'strangler-proxy/src/main.ts'),
  }));
  if (before) entries.splice(1, 0, { name: 'proxy legacy (before)', mode: 'legacy', entry: join(before, 'strangler-proxy/src/main.ts') });
  // Tracing on, legacy mode: spans (when sampled) go over OTLP/HTTP to the shadow target, which
  // answers anything with 200, so no trace backend's speed is part of the figure.
  for (const r of tracingRatios) {
    entries.push({
      name: tracingName(r), mode: 'legacy', entry: join(root, 'strangler-proxy/src/main.ts'),
      env: { FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: String(r), OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${shadowPort}` },
    });
  }
  for (const e of entries) {
    const [port, adminPort] = [await freePort(), await freePort()];
    writeFileSync(join(d, `flags-${e.mode}.json`), JSON.stringify({ flags: { 'ficus.bench.route': modeFlag[e.mode] } }));
    const child = start(process.execPath, [e.entry], {
      FICUS_PROXY_PORT: String(port), FICUS_PROXY_ADMIN_PORT: String(adminPort), FICUS_PROXY_SHADOW_DB_URL: 'memory',
      FICUS_PROXY_ROUTES_FILE: join(d, 'routes.json'), FICUS_PROXY_FLAGS_BOOTSTRAP_FILE: join(d, `flags-${e.mode}.json`),
      FICUS_PROXY_TARGET_LEGACY: backendUrl,
      FICUS_PROXY_TARGET_CATALOG: e.mode === 'service' ? backendUrl : `http://127.0.0.1:${shadowPort}`,
      FICUS_PROXY_SHADOW_RULES_FILE: join(d, 'shadow-rules.json'), FICUS_PROXY_ACCESS_LOG: accessLog, FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '1000', FICUS_PROXY_FLAG_STALENESS_MS: '86400000',
      FICUS_UNLEASH_URL: `http://127.0.0.1:${deadPort}`, BENCH_PRIMARY_URL: `${backendUrl}${path}`,
      FICUS_TRACING: 'off', ...e.env,
    });
    local.push(child);
    proxies.push({ name: e.name, port, pid: child.pid!, child });
  }
  for (const p of proxies) await waitHttp(`http://127.0.0.1:${p.port}${path}`, p.name, 90_000);
  // Warm the JIT of every front once (not measured).
  for (const p of [{ port: nginxPort }, ...proxies]) await wrk(`http://127.0.0.1:${p.port}${path}`, 32, 2);

  const rows: Array<{ name: string; url: string; pids: Watched }> = [
    { name: 'direct', url: `${backendUrl}${path}`, pids: { backend: backend.pid! } },
    { name: 'nginx (1 worker)', url: `http://127.0.0.1:${nginxPort}${path}`, pids: { front: nginxWorker, backend: backend.pid! } },
    ...proxies.map((p) => ({ name: p.name, url: `http://127.0.0.1:${p.port}${path}`, pids: { front: p.pid, backend: backend.pid!, shadow: p.name.includes('shadow') ? shadow.pid! : undefined } })),
  ];
  for (let run = 1; run <= runs; run++) {
    // Each run starts one row later, so the machine's drift within a run (it swings ±25 % over
    // minutes) does not always fall on the same rows.
    const order = rows.map((_, i) => rows[(i + run - 1) % rows.length]!);
    for (const c of connectionSets) {
      for (const r of order) {
        const s = await measure(endpoint, r.name, r.url, c, run, r.pids);
        samples.push(s);
        process.stderr.write(`  ${endpoint} run ${run} ${r.name} c=${c}: ${s.rps.toFixed(0)} req/s, front ${s.frontUs.toFixed(1)} µs/req, load ${s.load.toFixed(2)}\n`);
      }
    }
    for (const r of rows.filter((x) => x.name === 'direct' || x.name.startsWith('nginx') || x.name === 'proxy legacy' || x.name === 'proxy service')) {
      samples.push(await measure(endpoint, r.name, r.url, 1, run, r.pids));
    }
    const off = rows.find((x) => x.name === 'proxy legacy');
    const traced = rows.filter((x) => tracingRatios.some((t) => x.name === tracingName(t)));
    if (off && traced.length) {
      for (const c of connectionSets) {
        // off, t1, off, t2, off, …: every tracing figure sits between two tracing-off ones
        let prev = await measure(endpoint, 'bracket off', off.url, c, run, off.pids);
        for (const t of run % 2 ? traced : [...traced].reverse()) {
          const mid = await measure(endpoint, t.name, t.url, c, run, t.pids);
          const next = await measure(endpoint, 'bracket off', off.url, c, run, off.pids);
          brackets.push({ endpoint, name: t.name, connections: c, rpsRatio: mid.rps / ((prev.rps + next.rps) / 2), cpuRatio: mid.frontUs / ((prev.frontUs + next.frontUs) / 2) });
          process.stderr.write(`  ${endpoint} run ${run} bracket ${t.name} c=${c}: ${(mid.rps / ((prev.rps + next.rps) / 2)).toFixed(3)} of off (${prev.rps.toFixed(0)} / ${mid.rps.toFixed(0)} / ${next.rps.toFixed(0)} req/s)\n`);
          prev = next;
        }
        // off and one tracing proxy at once: the machine's drift and the other processes' bursts
        // fall on both; each proxy's CPU per request is its own (/proc), the backend is shared
        for (const t of traced) {
          const half = Math.max(1, Math.round(c / 2));
          const [o, m] = await Promise.all([measure(endpoint, 'pair off', off.url, half, run, off.pids), measure(endpoint, 'pair on', t.url, half, run, t.pids)]);
          pairs.push({ endpoint, name: t.name, connections: c, rpsRatio: m.rps / o.rps, cpuRatio: m.frontUs / o.frontUs });
          process.stderr.write(`  ${endpoint} run ${run} side by side ${t.name} c=${c}: ${(m.rps / o.rps).toFixed(3)} of off (${o.rps.toFixed(0)} / ${m.rps.toFixed(0)} req/s), CPU µs/req ${(m.frontUs / o.frontUs).toFixed(3)}\n`);
        }
      }
    }
  }
  if (tracingRatios.length) inProcess ??= await measureTracingCost(`http://127.0.0.1:${shadowPort}/v1/traces`);
  for (const p of proxies) peaks.set(`${endpoint}\u0000${p.name}`, peakRssMb(p.pid));
  peaks.set(`${endpoint}\u0000nginx (1 worker)`, peakRssMb(nginxWorker));
  peaks.set(`${endpoint}\u0000direct`, peakRssMb(backend.pid!));
  for (const p of proxies.filter((x) => x.name.includes('compare'))) {
    let out = '';
    p.child.stdout!.removeAllListeners('data');
    p.child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    await stop(p.child);
    const counts = out.split('\n').find((l) => l.includes('"compared"'));
    if (counts) compareCounts.push(`${endpoint}: ${counts}`);
  }
  for (const c of local.reverse()) await stop(c);
};

const report = (e: 'trivial' | 'products', started: number) => {
  const loads = samples.filter((s) => s.endpoint === e).map((s) => s.load);
  console.log(`\nnode ${process.version}, wrk -t1, ${duration} s per measurement, medians of ${runs} run(s), loopback, one process each (nginx: 1 worker; proxy: 1 process, no cluster), proxy access log: ${accessLog}`);
  console.log(`load average (1 min) during the measurements: min ${Math.min(...loads).toFixed(2)}, median ${median(loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)} on ${availableParallelism()} CPUs; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(`\n${e === 'trivial' ? 'trivial 1 KB endpoint (node:http backend), GET /bench/x' : 'monolith product list (Express + knex + MariaDB, seeded "small"), GET /api/products?pageSize=20'}`);
    console.log('path                           conns    req/s  p50 ms  p99 ms  errors/timeouts  front µs/req  backend µs/req  shadow µs/req  peak RSS MB  vs direct  vs nginx');
    for (const c of connectionSets) {
      const names = [...new Set(samples.filter((s) => s.endpoint === e).map((s) => s.path))];
      for (const name of names) {
        const mine = samples.filter((s) => s.endpoint === e && s.path === name && s.connections === c);
        const ratio = (other: string) => median(mine.map((s) => s.rps / (samples.find((x) => x.endpoint === e && x.path === other && x.connections === c && x.run === s.run)?.rps ?? NaN)));
        console.log(`${name.padEnd(30)} ${String(c).padStart(5)} ${fmt(median(mine.map((s) => s.rps))).padStart(8)} ${fmt(median(mine.map((s) => s.p50)), 2).padStart(7)} ${fmt(median(mine.map((s) => s.p99)), 2).padStart(7)} ${`${mine.reduce((a, s) => a + s.errors, 0)}/${mine.reduce((a, s) => a + s.timeouts, 0)}`.padStart(15)} ${fmt(median(mine.map((s) => s.frontUs)), 1).padStart(13)} ${fmt(median(mine.map((s) => s.backendUs)), 1).padStart(15)} ${fmt(median(mine.map((s) => s.shadowUs)), 1).padStart(14)} ${fmt(peaks.get(`${e}\u0000${name}`) ?? NaN).padStart(12)} ${fmt(ratio('direct'), 2).padStart(10)} ${fmt(ratio('nginx (1 worker)'), 2).padStart(9)}`);
      }
    }
    const p50At1 = (name: string) => median(samples.filter((s) => s.endpoint === e && s.path === name && s.connections === 1).map((s) => s.p50));
    const direct1 = p50At1('direct');
    console.log(`p50 at 1 connection: direct ${fmt(direct1, 3)} ms; added by nginx ${fmt(p50At1('nginx (1 worker)') - direct1, 3)} ms, proxy legacy ${fmt(p50At1('proxy legacy') - direct1, 3)} ms, proxy service ${fmt(p50At1('proxy service') - direct1, 3)} ms`);
    for (const c of connectionSets) {
      // the median of per-run ratios, as the "vs" columns
      const sh = (n: string) => median(samples.filter((s) => s.endpoint === e && s.path === n && s.connections === c)
        .map((s) => s.rps / (samples.find((x) => x.endpoint === e && x.path === 'proxy legacy' && x.connections === c && x.run === s.run)?.rps ?? NaN)));
      console.log(`c=${c}: shadow 10% / legacy ${fmt(sh('proxy shadow 10%'), 2)}, shadow 100% + compare / legacy ${fmt(sh('proxy shadow 100% + compare'), 2)} (medians of per-run ratios)`);
      if (tracingRatios.length) {
        const cpu = (n: string) => median(samples.filter((s) => s.endpoint === e && s.path === n && s.connections === c).map((s) => s.frontUs));
        console.log(`c=${c}: ${tracingRatios.map((r) => `${tracingName(r).slice('proxy legacy, '.length)} / off: req/s ${fmt(sh(tracingName(r)), 3)}, CPU µs/req ${fmt(cpu(tracingName(r)) / cpu('proxy legacy'), 3)}`).join('; ')} (tracing off = proxy legacy, same run)`);
        const spread = (xs: number[]) => (xs.length ? `${fmt(median(xs), 3)} [${fmt(Math.min(...xs), 3)}–${fmt(Math.max(...xs), 3)}]` : '-');
        /** Each tracing ratio's req/s and CPU ratios from one comparison (bracketed or side by side). */
        const ratios = (from: readonly Bracket[]) => tracingRatios.map((r) => {
          const mine = from.filter((x) => x.endpoint === e && x.name === tracingName(r) && x.connections === c);
          return `${tracingName(r).slice('proxy legacy, '.length)} / off: req/s ${spread(mine.map((x) => x.rpsRatio))}, CPU µs/req ${spread(mine.map((x) => x.cpuRatio))}`;
        }).join('; ');
        const cost = inProcess;
        const offUs = cpu('proxy legacy');
        if (cost && c === connectionSets[0]) {
          const at = (r: number) => cost.unsampledNs * (1 - r) + cost.recordedNs * r;
          console.log(`in process (the socket engine's per-request tracing work, one thread, medians of 7 interleaved rounds): unsampled +${fmt(cost.unsampledNs)} ns/request, a recorded span +${fmt(cost.recordedNs / 1000, 1)} µs with its export; ${tracingRatios.map((r) => `${tracingName(r).slice('proxy legacy, '.length)}: +${fmt(at(r))} ns/request = ${fmt((100 * at(r)) / 1000 / offUs, 2)} %`).join(', ')} of the ${fmt(offUs, 1)} µs CPU per request measured with tracing off`);
        }
        console.log(`c=${c}, bracketed (off, tracing, off back to back; median [min–max] of ${runs} run(s)): ${ratios(brackets)}`);
        console.log(`c=${c}, side by side (off and tracing at the same time, ${Math.max(1, Math.round(c / 2))} connections each, one backend; median [min–max] of ${runs} run(s)): ${ratios(pairs)}`);
      }
    }
  };

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
try {
  // A new machine has neither: install them from Debian, as the other benchmarks do.
  await ensureDebianPackages('proxy-bench', '/usr/sbin/nginx', ['nginx']);
  await ensureDebianPackages('proxy-bench', 'wrk', ['wrk']);
  const started = Date.now();
  for (const e of endpoints) { await benchEndpoint(e); report(e, started); }
  console.log("shadow 100% comparison: the proxy's own shadow pipeline (src/shadow, issue 5), rules: sampleRate 1, defaults otherwise");
  for (const l of compareCounts) console.log(`comparisons (shadow 100%) ${l}`);
} finally {
  for (const c of children.reverse()) await stop(c);
  rmSync(dir, { recursive: true, force: true });
}
