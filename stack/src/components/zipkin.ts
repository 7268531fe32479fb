import type { Component, Health } from '../component-type.ts';
import { ensureJava, ensureZipkin } from '../install.ts';
import { logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';

const name = 'zipkin';
/** Zipkin's API (`/api/v2/spans` takes spans, `/api/v2/traces` answers) and, under `/zipkin/`, its Lens UI. */
export const zipkinUrl = `http://${stackHost}:${stackPorts.zipkin}`;
/** Spans kept in memory; past this the oldest traces go first. */
export const zipkinMaxSpans = 50_000;

/**
 * Zipkin's settings are Spring properties with environment defaults (zipkin-server-shared.yml).
 * In-memory storage only; the collectors that would reach out (Kafka, RabbitMQ, ActiveMQ, Pulsar,
 * Eureka) stay off even if such variables are in the caller's environment; no self-tracing.
 */
const zipkinEnv = {
  STORAGE_TYPE: 'mem',
  MEM_MAX_SPANS: String(zipkinMaxSpans),
  SELF_TRACING_ENABLED: 'false',
  COLLECTOR_GRPC_ENABLED: 'false',
  COLLECTOR_KAFKA_ENABLED: 'false',
  COLLECTOR_RABBITMQ_ENABLED: 'false',
  COLLECTOR_ACTIVEMQ_ENABLED: 'false',
  COLLECTOR_PULSAR_ENABLED: 'false',
  COLLECTOR_SCRIBE_ENABLED: 'false',
  DISCOVERY_EUREKA_ENABLED: 'false',
};

const jvmArgs = (jar: string) => [
  // a heap of 256 MB holds the 50 000 spans; C1 only and a small code cache: it starts in ~6 s and idles at ~140 MB
  '-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:ReservedCodeCacheSize=48m', '-Xss512k',
  '-XX:MaxDirectMemorySize=64m', '-Djava.net.preferIPv4Stack=true', '-Djava.awt.headless=true',
  '-jar', jar,
  // Armeria's port list replaces the default `port: 9411` on every address: the whole entry is given
  `--armeria.ports[0].ip=${stackHost}`, `--armeria.ports[0].port=${stackPorts.zipkin}`, '--armeria.ports[0].protocols[0]=http',
];

/** Zipkin server 3 (Java, Maven Central) with its Lens web UI: the stack's trace UI (decision 0020). */
export const zipkin: Component = {
  name,
  ports: [stackPorts.zipkin],
  dependsOn: [],
  url: `${zipkinUrl}/zipkin/ (UI; spans in at ${zipkinUrl}/api/v2/spans)`,
  startTimeoutMs: 90_000,

  async install() {
    await ensureJava();
    await ensureZipkin();
  },

  async start() {
    const jar = await ensureZipkin();
    return spawnDaemon({
      command: 'java',
      args: jvmArgs(jar),
      env: { ...process.env, ...zipkinEnv },
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    try {
      const res = await fetch(`${zipkinUrl}/health`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      if (!res.ok || body.status !== 'UP') return { ok: false, detail: `/health answered ${res.status} ${body.status ?? ''}`.trim() };
      const ui = await fetch(`${zipkinUrl}/zipkin/`, { signal: AbortSignal.timeout(2000) });
      if (!ui.ok) return { ok: false, detail: `the UI (/zipkin/) answered ${ui.status}` };
      const services = await fetch(`${zipkinUrl}/api/v2/services`, { signal: AbortSignal.timeout(2000) });
      const list = services.ok ? ((await services.json()) as string[]) : [];
      return { ok: true, detail: `UI and API answer (${list.length} services with traces)` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 10_000 }),
};
