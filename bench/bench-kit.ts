// Shared by the benchmark scripts: child processes (stopped by pid), free ports, waiting for HTTP,
// wrk on loopback, CPU and memory readings from /proc, and the proxy modes as bootstrap flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const children: ChildProcess[] = [];

/** Ctrl-C or SIGTERM stops every child this benchmark started (by pid), then exits: nothing is left running. */
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping ${children.length} child process(es)\n`);
    void Promise.all(children.map((c) => stop(c))).finally(() => process.exit(130));
  });
}

export type Mode = 'legacy' | 'service' | 'shadow10' | 'shadow100';
export const modeFlag: Record<Mode, { mode: string; percent?: number }> = {
  legacy: { mode: 'legacy' }, service: { mode: 'service', percent: 100 }, shadow10: { mode: 'shadow', percent: 10 }, shadow100: { mode: 'shadow', percent: 100 },
};

export { freePort } from '@ficus/common/testing';

export const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout!.resume();
  child.stderr!.on('data', (d: Buffer) => { if (process.env.BENCH_DEBUG) process.stderr.write(d); });
  return child;
};
export const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};

export const waitHttp = async (url: string, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`${what} did not come up at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export const cpuMicros = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1_000_000) / 100; // utime+stime in clock ticks (USER_HZ 100), all threads
};
export const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
export const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const toMs = (v: string) => (v.endsWith('us') ? parseFloat(v) / 1000 : v.endsWith('ms') ? parseFloat(v) : parseFloat(v) * 1000);

export const wrk = (url: string, connections: number, seconds: number): Promise<{ out: string; total: number }> => new Promise((resolve, reject) => {
  const w = spawn('wrk', ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  w.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  w.on('exit', (code) => (code === 0 ? resolve({ out, total: Number(/(\d+) requests in/.exec(out)?.[1]) }) : reject(new Error(`wrk failed for ${url}: ${out}`))));
});
