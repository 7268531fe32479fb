// Proxy benchmark (issue 4 and 10): wrk on loopback, same run, same backend:
//   direct → backend, through the strangler proxy (legacy mode), through nginx (upstream keep-alive).
// Prints req/s, p50/p99, proxy CPU µs per request, peak RSS and the ratios. Not a timed test.
// Usage: node bench/proxy-bench.ts [--duration 10] [--connections 32,128] [--access-log errors|all]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const duration = Math.min(60, Math.max(2, Number(arg('duration', '10'))));
const connectionSets = arg('connections', '32').split(',').map(Number);
const accessLog = arg('access-log', 'errors');
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ficus-bench-'));

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr!.on('data', (d: Buffer) => { if (process.env.BENCH_DEBUG) process.stderr.write(d); });
  return child;
};

const waitHttp = async (url: string, what: string) => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`${what} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const cpuMicros = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1_000_000) / 100; // utime+stime in clock ticks (USER_HZ 100)
};
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface Result { name: string; connections: number; rps: number; p50: number; p99: number; cpuUsPerReq?: number; peakRssMb?: number }
const toMs = (v: string) => (v.endsWith('us') ? parseFloat(v) / 1000 : v.endsWith('ms') ? parseFloat(v) : parseFloat(v) * 1000);

const wrk = (name: string, url: string, connections: number, pid?: number): Promise<Result> => new Promise((resolve, reject) => {
  const cpu0 = pid ? cpuMicros(pid) : 0;
  const w = spawn('wrk', ['-t', '1', '-c', String(connections), '-d', `${duration}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  w.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  w.on('exit', (code) => {
    if (code !== 0) return reject(new Error(`wrk failed for ${name}: ${out}`));
    const total = Number(/(\d+) requests in/.exec(out)?.[1]);
    const r: Result = {
      name, connections,
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
      p50: toMs(/\s50%\s+([\d.]+\w+)/.exec(out)?.[1] ?? 'NaN'),
      p99: toMs(/\s99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? 'NaN'),
    };
    if (/Non-2xx|Socket errors/.test(out)) console.error(`warning (${name}): ${out.split('\n').filter((l) => /Non-2xx|Socket errors/.test(l)).join('; ')}`);
    if (pid) { r.cpuUsPerReq = (cpuMicros(pid) - cpu0) / total; r.peakRssMb = peakRssMb(pid); }
    resolve(r);
  });
});

try {
  const backendPort = await freePort();
  start(process.execPath, [join(root, 'bench/bench-backend.ts'), String(backendPort)]);
  const backend = `http://127.0.0.1:${backendPort}`;
  await waitHttp(`${backend}/`, 'backend');

  // The proxy as it ships (main.ts), legacy mode: a bench route whose flag is off in the bootstrap.
  const [proxyPort, adminPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, 'routes.json'), JSON.stringify({ routes: [{ id: 'bench', method: 'GET', path: '/bench/*', service: 'catalog', flag: 'ficus.bench.route' }] }));
  writeFileSync(join(dir, 'flags.json'), JSON.stringify({ flags: { 'ficus.bench.route': { mode: 'legacy' } } }));
  const proxy = start(process.execPath, [join(root, 'strangler-proxy/src/main.ts')], {
    FICUS_PROXY_PORT: String(proxyPort), FICUS_PROXY_ADMIN_PORT: String(adminPort),
    FICUS_PROXY_ROUTES_FILE: join(dir, 'routes.json'), FICUS_PROXY_FLAGS_BOOTSTRAP_FILE: join(dir, 'flags.json'),
    FICUS_PROXY_TARGET_LEGACY: backend, FICUS_PROXY_ACCESS_LOG: accessLog, FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '3000',
  });
  proxy.stdout!.resume();
  await waitHttp(`http://127.0.0.1:${proxyPort}/bench/x`, 'proxy');

  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream backend { server 127.0.0.1:${backendPort}; keepalive 256; }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}`);
  const nginx = start('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'nginx-error.log')]);
  await waitHttp(`http://127.0.0.1:${nginxPort}/bench/x`, 'nginx');
  // nginx serves from its single worker: measure that process, not the master.
  const nginxWorker = Number(readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, 'utf8').trim().split(' ')[0]);

  const results: Result[] = [];
  for (const c of connectionSets) {
    results.push(await wrk('direct', `${backend}/bench/x`, c));
    results.push(await wrk('nginx', `http://127.0.0.1:${nginxPort}/bench/x`, c, nginxWorker));
    results.push(await wrk('ficus proxy (legacy mode)', `http://127.0.0.1:${proxyPort}/bench/x`, c, proxy.pid));
  }
  console.log(`\n${duration} s per run, wrk -t1, 1 KB JSON backend, loopback, proxy access log: ${accessLog}, node ${process.version}`);
  console.log('path                        conns      req/s   p50 ms   p99 ms  CPU µs/req  peak RSS MB  vs direct  vs nginx');
  for (const r of results) {
    const direct = results.find((x) => x.name === 'direct' && x.connections === r.connections)!;
    const nginxR = results.find((x) => x.name === 'nginx' && x.connections === r.connections)!;
    console.log(`${r.name.padEnd(26)} ${String(r.connections).padStart(6)} ${r.rps.toFixed(0).padStart(10)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${(r.cpuUsPerReq?.toFixed(1) ?? '-').padStart(11)} ${(r.peakRssMb?.toFixed(0) ?? '-').padStart(12)} ${(r.rps / direct.rps).toFixed(2).padStart(10)} ${(r.rps / nginxR.rps).toFixed(2).padStart(9)}`);
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
