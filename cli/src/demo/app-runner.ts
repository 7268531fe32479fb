import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readStackEnv, waitFor } from '@ficus/common';
import { registerScrapeTarget } from '@ficus/common/scrape-targets';
import { isAlive } from '@ficus/stack';
import { paint } from '../output/table.ts';

export interface AppSpec {
  name: string;
  /** Entry file relative to the repo root, run with this Node. */
  entry: string;
  /** URL that answers 2xx once the app is ready… */
  readyUrl?: string;
  /** …or, for a process without HTTP (a worker), a log line that says it is. */
  readyLine?: RegExp;
  readyHeaders?: Record<string, string>;
  env?: Record<string, string>;
  /** Its Prometheus endpoint: registered with the stack's VictoriaMetrics while the process runs. */
  metrics?: {
    url: string;
    /** The `job` label (default: the app's name; replicas of one component share it). */
    job?: string;
    /** For a /metrics behind a bearer token (the proxy admin API). */
    bearerToken?: string;
  };
}

export interface RunningApp {
  spec: AppSpec;
  child: ChildProcess;
  /** Set once a line matched `spec.readyLine`. */
  sawReadyLine: boolean;
}

const colours = [36, 35, 33, 32, 34, 31, 96, 95];

/** Starts an app as a child of this process; its log lines are prefixed with its name. */
export const startApp = (spec: AppSpec, index: number, cwd: string, baseEnv: NodeJS.ProcessEnv): RunningApp => {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--disable-warning=TimeoutNegativeWarning', spec.entry], {
    cwd,
    env: { ...baseEnv, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = `${paint(colours[index % colours.length]!, spec.name.padEnd(16))}|`;
  const app: RunningApp = { spec, child, sawReadyLine: false };
  if (spec.metrics) {
    // instance = the metrics endpoint's host:port: one per process, the same after a restart
    const m = spec.metrics;
    try {
      const unregister = registerScrapeTarget(
        { job: m.job ?? spec.name, instance: new URL(m.url).host, url: m.url, ...(m.bearerToken ? { bearerToken: m.bearerToken } : {}) },
        { dir: readStackEnv(baseEnv).FICUS_SCRAPE_TARGETS_DIR },
      );
      child.once('exit', unregister);
    } catch (e) {
      process.stdout.write(`${tag} not scraped by VictoriaMetrics: ${(e as Error).message}\n`);
    }
  }
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (spec.readyLine?.test(line)) app.sawReadyLine = true;
      process.stdout.write(`${tag} ${line}\n`);
    });
  }
  return app;
};

export const waitReady = async (app: RunningApp, timeoutMs = 60_000): Promise<void> => {
  await waitFor(async () => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw Object.assign(new Error(`${app.spec.name} exited (code ${app.child.exitCode ?? app.child.signalCode}) before it was ready; see its lines above`), { fatal: true });
    }
    if (!app.spec.readyUrl) return app.sawReadyLine;
    const res = await fetch(app.spec.readyUrl, { headers: app.spec.readyHeaders, signal: AbortSignal.timeout(1000) });
    return res.ok;
  }, { timeoutMs, intervalMs: 200, what: `${app.spec.name} ready (${app.spec.readyUrl ?? app.spec.readyLine})` });
};

/** Stops the apps this process started (by their pids), newest first. */
export const stopApps = async (apps: RunningApp[]): Promise<void> => {
  for (const app of [...apps].reverse()) {
    const pid = app.child.pid;
    if (!pid || !isAlive(pid)) continue;
    app.child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && app.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (app.child.exitCode === null && isAlive(pid)) app.child.kill('SIGKILL');
  }
};

export interface Supervised {
  /** The app's current process (a new one after each restart). */
  current(): RunningApp;
  /** How many times it was restarted. */
  restarts(): number;
  /** Stops restarting it (before the apps are stopped). */
  release(): void;
}

/**
 * Keeps an app running: when it exits on its own, it is started again after a backoff (1 s, 2 s,
 * 4 s … at most 30 s; back to 1 s after a minute of running), and each exit and restart is logged.
 * The other apps keep serving meanwhile: a dead sync process must not take the shop down.
 */
export const superviseApp = (
  app: RunningApp,
  restart: () => RunningApp,
  o: { say: (msg: string) => void; baseDelayMs?: number; maxDelayMs?: number; resetAfterMs?: number },
): Supervised => {
  const base = o.baseDelayMs ?? 1_000, max = o.maxDelayMs ?? 30_000, resetAfter = o.resetAfterMs ?? 60_000;
  let current = app, restarts = 0, streak = 0, since = Date.now(), released = false;
  let timer: NodeJS.Timeout | undefined;
  const watch = (a: RunningApp) => {
    a.child.once('exit', (code, signal) => {
      if (released) return;
      if (Date.now() - since > resetAfter) streak = 0;
      const delay = Math.min(max, base * 2 ** streak);
      streak += 1;
      o.say(`${a.spec.name} exited (${code ?? signal}); starting it again in ${delay < 1_000 ? `${delay} ms` : `${delay / 1_000} s`} (the other apps keep serving)`);
      timer = setTimeout(() => {
        if (released) return;
        since = Date.now();
        restarts += 1;
        current = restart();
        watch(current);
        void waitReady(current).then(() => o.say(`${current.spec.name} is back (restart ${restarts})`), () => undefined);
      }, delay);
    });
  };
  watch(app);
  return {
    current: () => current,
    restarts: () => restarts,
    release: () => { released = true; clearTimeout(timer); },
  };
};
