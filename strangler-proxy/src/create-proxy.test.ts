import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import { staticFlagSource } from './socket-engine/fake-engine-context.ts';
import { describeEachEngine, startTestProxy } from './testing/test-proxy.ts';

const listenOn = (port: number) => new Promise<Server>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject).listen(port, '127.0.0.1', () => resolve(s));
});
const closeServer = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
const portOf = (s: Server) => (s.address() as { port: number }).port;
const freePort = async () => { const s = await listenOn(0); const port = portOf(s); await closeServer(s); return port; };
const settle = () => new Promise((r) => setImmediate(r));
/** The process's open servers and timers, by kind (a leak shows as one more of some kind). */
const handles = () => process.getActiveResourcesInfo().filter((k) => k === 'TCPServerWrap' || k === 'Timeout').sort();

describeEachEngine('createProxy: a start that fails closes what it opened', () => {
  for (const which of ['proxy', 'admin'] as const) {
    it(`the ${which} port in use: the start fails with EADDRINUSE, the other port is free again, the flags are closed, no server or timer is left`, async () => {
      const busy = await listenOn(0);
      const other = await freePort();
      const ports = which === 'proxy' ? { proxy: portOf(busy), admin: other } : { proxy: other, admin: portOf(busy) };
      let flagsClosed = 0;
      const flags = staticFlagSource({}, () => { flagsClosed++; });
      await settle();
      const before = handles();
      try {
        const error = await startTestProxy({
          targets: { legacy: 'http://127.0.0.1:9' }, routes: [],
          env: { FICUS_PROXY_PORT: String(ports.proxy), FICUS_PROXY_ADMIN_PORT: String(ports.admin) },
          extra: { flags },
        }).then((p) => { void p.close(); return undefined; }, (e: NodeJS.ErrnoException) => e);
        expect(error?.code).to.equal('EADDRINUSE');
        expect(flagsClosed, 'flags closed once').to.equal(1);
        await closeServer(await listenOn(other));
        await settle();
        expect(handles()).to.deep.equal(before);
      } finally {
        await closeServer(busy);
      }
    });
  }
});
