import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from './component-type.ts';
import { mariadb, mariadbRootPassword } from './components/mariadb.ts';
import { postgres } from './components/postgres.ts';
import { kafka, kafkaBrokers } from './components/kafka.ts';
import { connect, connectUrl } from './components/connect.ts';
import { temporal, temporalAddress } from './components/temporal.ts';
import { unleash, unleashTokens, unleashUrl } from './components/unleash.ts';
import { victoriaMetrics, metricsUrl, scrapeTargetsDir } from './components/victoria-metrics.ts';
import { jaeger, jaegerUrl, otlpHttpEndpoint } from './components/jaeger.ts';
import { zipkin, zipkinUrl } from './components/zipkin.ts';
import { ficusDir, logFile, paths, pidFile } from './paths.ts';
import { stackPorts, stackHost } from './ports.ts';
import { isAlive, portOpen, portOwner, removeFile, tail } from './process-utils.ts';
import { stackError } from './stack-error.ts';

export const components: Component[] = [mariadb, postgres, kafka, temporal, connect, unleash, victoriaMetrics, jaeger, zipkin];
export const componentNames = components.map((c) => c.name);

const say = (msg: string) => process.stderr.write(`ficus stack: ${msg}\n`);

/** The environment every app, worker and test gets (see @ficus/common readStackEnv). */
export const stackEnvironment = (): Record<string, string> => ({
  FICUS_MARIADB_HOST: stackHost,
  FICUS_MARIADB_PORT: String(stackPorts.mariadb),
  FICUS_MARIADB_ROOT_PASSWORD: mariadbRootPassword,
  FICUS_KAFKA_BROKERS: kafkaBrokers,
  FICUS_CONNECT_URL: connectUrl,
  FICUS_TEMPORAL_ADDRESS: temporalAddress,
  FICUS_TEMPORAL_NAMESPACE: 'default',
  FICUS_UNLEASH_URL: unleashUrl,
  FICUS_UNLEASH_ADMIN_TOKEN: unleashTokens.admin,
  FICUS_UNLEASH_CLIENT_TOKEN: unleashTokens.client,
  FICUS_METRICS_URL: metricsUrl,
  FICUS_SCRAPE_TARGETS_DIR: scrapeTargetsDir,
  FICUS_OTLP_HTTP_ENDPOINT: otlpHttpEndpoint,
  FICUS_JAEGER_URL: jaegerUrl,
  FICUS_ZIPKIN_URL: zipkinUrl,
});

const select = (only?: string[]): Component[] => {
  if (!only?.length) return components;
  const unknown = only.filter((n) => !componentNames.includes(n));
  if (unknown.length) throw stackError('STACK_UNKNOWN_COMPONENT', unknown.join(', '), `unknown component; expected one of ${componentNames.join(', ')}`);
  // include what they depend on
  const want = new Set<string>();
  const add = (n: string) => { if (want.has(n)) return; want.add(n); for (const d of components.find((c) => c.name === n)!.dependsOn) add(d); };
  only.forEach(add);
  return components.filter((c) => want.has(c.name));
};

const waitHealthy = async (c: Component, pid: number | undefined): Promise<Health> => {
  const deadline = Date.now() + c.startTimeoutMs;
  let last: Health = { ok: false, detail: 'not checked yet' };
  let afterStartDone = !c.afterStart;
  for (;;) {
    if (pid !== undefined && !isAlive(pid)) {
      throw stackError('COMPONENT_DIED', c.name, `exited during start (last health: ${last.detail})\n${indent(tail(logFile(c.name)))}\n  way out: fix the cause, then \`ficus stack down\` and \`ficus stack up\``, logFile(c.name));
    }
    if (!afterStartDone && (await portOpen(c.ports[0]!))) {
      await c.afterStart!();
      afterStartDone = true;
    }
    if (afterStartDone) {
      last = await c.health();
      if (last.ok) return last;
    }
    if (Date.now() > deadline) {
      throw stackError('COMPONENT_START_TIMEOUT', c.name, `not healthy within ${c.startTimeoutMs / 1000} s (expected: ${last.detail === 'not checked yet' ? `port ${c.ports[0]} open` : 'healthy'}; last: ${last.detail})\n  way out: \`ficus stack down\`, then \`ficus stack up\``, logFile(c.name));
    }
    await new Promise((r) => setTimeout(r, 300));
  }
};

const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');

export const upComponent = async (c: Component): Promise<void> => {
  const t0 = Date.now();
  await c.install();
  const pid = c.pid();
  if (isAlive(pid)) {
    const h = await waitHealthy(c, pid);
    say(`${c.name}: running (pid ${pid}, ${h.detail})`);
    return;
  }
  removeFile(pidFile(c.name));
  for (const port of c.ports) {
    if (await portOpen(port)) {
      throw stackError('PORT_IN_USE', c.name, `port ${stackHost}:${port} is already taken by ${await portOwner(port)}; stop it (or, if it is a stack process from an earlier run, \`ficus stack down\`), then \`ficus stack up\``);
    }
  }
  const started = await c.start();
  const h = await waitHealthy(c, started);
  say(`${c.name}: started in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${started}, ${h.detail})`);
};

/** Starts every (or the named) component, each once its dependencies are healthy. Idempotent. */
export const stackUp = async (only?: string[]): Promise<void> => {
  for (const d of [paths.data, paths.logs, paths.run, paths.config]) mkdirSync(d, { recursive: true });
  const chosen = select(only);
  const started = new Map<string, Promise<void>>();
  const run = (c: Component): Promise<void> => {
    let p = started.get(c.name);
    if (!p) {
      p = Promise.all(c.dependsOn.map((d) => run(components.find((x) => x.name === d)!))).then(() => upComponent(c));
      started.set(c.name, p);
    }
    return p;
  };
  const results = await Promise.allSettled(chosen.map(run));
  writeStackInfo();
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) throw failed[0]!.reason;
};

/** Stops exactly what `up` started, by the pids it recorded, in reverse dependency order. */
export const stackDown = async (only?: string[], { reset = false } = {}): Promise<void> => {
  const chosen = only?.length ? select(only).filter((c) => only.includes(c.name)) : components;
  for (const c of [...chosen].reverse()) {
    const pid = c.pid();
    if (isAlive(pid)) say(`${c.name}: stopping pid ${pid}`);
    await c.stop();
  }
  if (reset) {
    for (const c of chosen) rmSync(join(paths.data, c.name), { recursive: true, force: true });
    if (chosen.some((c) => c.name === 'temporal')) rmSync(join(paths.data, 'temporal.sqlite'), { force: true });
    say(`reset: data removed for ${chosen.map((c) => c.name).join(', ')}`);
  }
};

export interface ComponentStatus {
  name: string;
  pid: number | null;
  running: boolean;
  healthy: boolean;
  ports: number[];
  url: string;
  detail: string;
  log: string;
}

export const stackStatus = async (): Promise<ComponentStatus[]> =>
  Promise.all(components.map(async (c) => {
    const pid = c.pid();
    const running = isAlive(pid);
    const h = running ? await c.health() : { ok: false, detail: pid ? 'not running (stale pid file)' : 'not started' };
    return { name: c.name, pid: running ? pid! : null, running, healthy: h.ok, ports: c.ports, url: c.url, detail: h.detail, log: logFile(c.name) };
  }));

/** Written at every `up`: where things are and the tokens to reach them (local secrets only). */
export const writeStackInfo = () => {
  mkdirSync(ficusDir, { recursive: true });
  writeFileSync(join(ficusDir, 'stack.json'), `${JSON.stringify({ env: stackEnvironment(), ports: stackPorts }, null, 2)}\n`);
};

/**
 * While a long run uses the stack (`ficus test`): every `everyMs`, starts the named component again
 * if its process is gone, and says so. A third-party server that dies mid-suite (Unleash has: an
 * unawaited listener of its own) would otherwise fail every test after it. Returns `stop()`.
 */
export const keepComponentUp = (name: string, o: { everyMs: number; say: (message: string) => void }): (() => void) => {
  const c = components.find((x) => x.name === name);
  if (!c) throw stackError('STACK_UNKNOWN_COMPONENT', name, `unknown component ${name}; expected one of ${componentNames.join(', ')}`);
  let busy = false;
  const timer = setInterval(() => {
    if (busy || isAlive(c.pid())) return;
    busy = true;
    o.say(`${name} is not running (its log: ${logFile(name)}); starting it again`);
    upComponent(c).then(() => o.say(`${name} is running again`), (e: unknown) => o.say(`${name} could not be started again: ${(e as Error).message}`))
      .finally(() => { busy = false; });
  }, o.everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
