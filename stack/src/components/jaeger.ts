import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Health } from '../component-type.ts';
import { ensureJaeger } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';

const name = 'jaeger';
/** The UI and its HTTP API (`/api/services`, `/api/traces?service=…`, `/api/traces/<id>`). */
export const jaegerUrl = `http://${stackHost}:${stackPorts.jaegerUi}`;
/** OTLP over HTTP: exporters post to `${otlpHttpEndpoint}/v1/traces`. */
export const otlpHttpEndpoint = `http://${stackHost}:${stackPorts.otlpHttp}`;
const configFile = join(paths.config, 'jaeger.yaml');
/** Traces kept in memory; the oldest go first. */
export const jaegerMaxTraces = 10_000;

/**
 * Jaeger v2 (an OpenTelemetry Collector with Jaeger's extensions): OTLP in, memory storage, the
 * query UI. Nothing else listens: no legacy Jaeger or Zipkin receivers, no self-telemetry port.
 */
const jaegerConfig = () => `# written by ficus stack up (stack/src/components/jaeger.ts); edits are overwritten
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn

extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${jaegerMaxTraces}
  jaeger_query:
    storage:
      traces: memstore
    # its own spans would land in the store the tests read
    enable_tracing: false
    http:
      endpoint: ${stackHost}:${stackPorts.jaegerUi}
    grpc:
      endpoint: ${stackHost}:${stackPorts.jaegerQueryGrpc}

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: ${stackHost}:${stackPorts.otlpGrpc}
      http:
        endpoint: ${stackHost}:${stackPorts.otlpHttp}

processors:
  batch:
    timeout: 200ms

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;

export const jaeger: Component = {
  name,
  ports: [stackPorts.jaegerUi, stackPorts.jaegerQueryGrpc, stackPorts.otlpGrpc, stackPorts.otlpHttp],
  dependsOn: [],
  url: `${jaegerUrl} (UI and API; OTLP HTTP ${otlpHttpEndpoint}, gRPC ${stackHost}:${stackPorts.otlpGrpc})`,
  startTimeoutMs: 60_000,

  async install() {
    await ensureJaeger();
  },

  async start() {
    const bin = await ensureJaeger();
    mkdirSync(paths.config, { recursive: true });
    writeFileSync(configFile, jaegerConfig());
    return spawnDaemon({
      command: bin,
      args: ['--config', configFile],
      // memory storage grows with the traces it keeps: the Go runtime collects harder near this
      env: { ...process.env, GOMEMLIMIT: '512MiB', GOMAXPROCS: '2' },
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    try {
      const res = await fetch(`${jaegerUrl}/api/services`, { signal: AbortSignal.timeout(2000) });
      if (!res.ok) return { ok: false, detail: `/api/services answered ${res.status}` };
      const body = (await res.json()) as { data?: string[] | null };
      return { ok: true, detail: `query API answers (${body.data?.length ?? 0} services with traces)` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 10_000 }),
};
