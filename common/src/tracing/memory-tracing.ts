import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type StartTracingOptions, type Tracing } from './start-tracing.ts';

export type { ReadableSpan };

/**
 * Tracing for unit tests: spans kept in memory, exported as each ends. Call `tracing.shutdown()`
 * after the suite (the process's tracing is global). Example: `const mem = startMemoryTracing('t', 1)`.
 */
export const startMemoryTracing = (serviceName: string, sampleRatio: number, o: Pick<StartTracingOptions, 'callerSamples'> = {}): { tracing: Tracing; spans(): ReadableSpan[]; reset(): void } => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ enabled: true, serviceName, tracesUrl: 'http://127.0.0.1:9/v1/traces', sampleRatio }, { ...o, exporter, simple: true })!;
  return { tracing, spans: () => exporter.getFinishedSpans(), reset: () => exporter.reset() };
};
