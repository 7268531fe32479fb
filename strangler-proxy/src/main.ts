import './gc-tuning.ts';
import { createLogger, isFicusError, onStopSignal } from '@ficus/common/core';
import { readProxyConfig } from './config.ts';
import { createProxy } from './create-proxy.ts';
import { startProcessTracing } from '@ficus/common/tracing';

const log = createLogger('strangler-proxy');
try {
  const config = readProxyConfig();
  // The proxy samples new traces itself, before it makes any span (engine-shared/proxy-tracing.ts);
  // its own backend calls carry the traceparent it writes, so undici is not hooked here.
  const tracing = startProcessTracing(process.env, 'strangler-proxy', log, { undici: false, callerSamples: true });
  const proxy = await createProxy({ config, log, tracing: tracing.tracing });
  onStopSignal((signal) => {
    log.info({ signal }, 'shutting down');
    void proxy.close().then(() => tracing.stop()).finally(() => process.exit(0));
  });
} catch (e) {
  // One precise message (file, entry, expected) and a non-zero exit: a bad table never serves.
  if (isFicusError(e)) console.error(`strangler-proxy: ${e.code}: ${e.message}`);
  else console.error(`strangler-proxy: failed to start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
}
