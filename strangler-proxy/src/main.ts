import './gc-tuning.ts';
import { createLogger, isFicusError, onStopSignal } from '@ficus/common/core';
import { readProxyConfig } from './config.ts';
import { createProxy } from './create-proxy.ts';

const log = createLogger('strangler-proxy');
try {
  const proxy = await createProxy({ config: readProxyConfig(), log });
  onStopSignal((signal) => {
    log.info({ signal }, 'shutting down');
    void proxy.close().finally(() => process.exit(0));
  });
} catch (e) {
  // One precise message (file, entry, expected) and a non-zero exit: a bad table never serves.
  if (isFicusError(e)) console.error(`strangler-proxy: ${e.code}: ${e.message}`);
  else console.error(`strangler-proxy: failed to start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
}
