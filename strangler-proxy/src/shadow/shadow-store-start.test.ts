import { expect } from 'chai';
import type { Logger } from '@ficus/common/core';
import { freePort } from '@ficus/common/testing';
import { staticFlagSource } from '../socket-engine/fake-engine-context.ts';
import { startTestBackend } from '../testing/test-backend.ts';
import { describeEachEngine, startTestProxy } from '../testing/test-proxy.ts';
import { readShadowConfig } from './shadow-config.ts';

/** A log that keeps its warnings (and drops the rest). */
const keepingLog = (warnings: string[]): Logger => {
  const log = { warn: (_o: unknown, m?: string) => { warnings.push(m ?? String(_o)); }, info: () => undefined, debug: () => undefined, error: () => undefined, child: () => log } as unknown as Logger;
  return log;
};

describeEachEngine('the shadow store when MariaDB does not answer at the proxy\'s start', function () {
  this.timeout(30_000);

  it('the proxy starts and serves, says so once, and its close stops the retries (no timer left)', async () => {
    const legacy = await startTestBackend('legacy');
    const warnings: string[] = [];
    const flags = staticFlagSource({ 'f.shop': 'shadow' });
    const timers = () => process.getActiveResourcesInfo().filter((k) => k === 'Timeout').length;
    const before = timers();
    const proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: legacy.origin },
      routes: [{ id: 'shop', method: 'GET', path: '/shop/*', service: 'svc', flag: 'f.shop' }],
      extra: {
        flags, log: keepingLog(warnings), shadow: { storeRetryMs: 100 },
        shadowConfig: { ...readShadowConfig(), cdcUrl: undefined, dbUrl: `mysql://ficus_proxy:x@127.0.0.1:${await freePort()}/ficus_proxy` },
      },
    });
    try {
      const res = await fetch(`${proxy.url}/shop/1`);
      expect(res.status).to.equal(200);
      await new Promise((r) => setTimeout(r, 350)); // a few retries
      expect(warnings.filter((w) => w.includes('shadow store does not answer'))).to.have.length(1);
    } finally {
      await proxy.close();
      await legacy.close();
    }
    await new Promise((r) => setImmediate(r));
    expect(timers(), 'timers left after close').to.be.at.most(before);
  });
});
