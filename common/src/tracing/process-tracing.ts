import type { Logger } from 'pino';
import { readTracingConfig } from './tracing-config.ts';
import { startTracing, type Tracing } from './start-tracing.ts';
import { traceUndici } from './undici-tracing.ts';

/**
 * A deployable's tracing from its environment, in one call at start: reads the settings
 * (TRACING_CONFIG_INVALID on a bad one), starts the SDK and the undici hook when `FICUS_TRACING=on`
 * and logs where spans go. `stop()` flushes what is buffered; call it on the way out.
 */
export const startProcessTracing = (env: NodeJS.ProcessEnv, serviceName: string, log?: Logger, o: { undici?: boolean; callerSamples?: boolean } = {}): { tracing: Tracing | undefined; stop(): Promise<void> } => {
  const config = readTracingConfig(env, serviceName);
  const tracing = startTracing(config, { callerSamples: o.callerSamples ?? false });
  if (!tracing) return { tracing, stop: async () => undefined };
  const untrace = o.undici === false ? () => undefined : traceUndici();
  log?.info({ serviceName: config.serviceName, tracesUrl: config.tracesUrl, zipkinSpansUrl: config.zipkinSpansUrl, sampleRatio: config.sampleRatio }, 'tracing on');
  return {
    tracing,
    async stop() {
      untrace();
      await tracing.shutdown().catch((e: unknown) => log?.warn({ err: e }, 'tracing: flush on shutdown failed'));
    },
  };
};
