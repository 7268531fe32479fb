import { createLogger, isFicusError } from '@ficus/common/core';
import { readProxyConfig } from './config.ts';
import { createProxy } from './create-proxy.ts';

const log = createLogger('strangler-proxy');
try {
  const proxy = await createProxy({ config: readProxyConfig(), log });
  let stopping = false; // a second signal while stopping is ignored
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await proxy.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
} catch (e) {
  // One precise message (file, entry, expected) and a non-zero exit: a bad table never serves.
  if (isFicusError(e)) console.error(`strangler-proxy: ${e.code}: ${e.message}`);
  else console.error(`strangler-proxy: failed to start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
}
