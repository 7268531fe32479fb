import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCdcSyncCheck } from './cdc-sync-check.ts';

/** The CDC process's /positions API as cdc/src/positions/positions-http.ts answers it (that side is e2e-tested there). */
describe('CDC sync check (the proxy asking the CDC process "has position X been applied?")', () => {
  let server: Server;
  let base = '';
  let appliedAfter = 0;
  const asked: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      asked.push(`${url.pathname}?${url.searchParams.toString()}`);
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/positions/current') { res.end(JSON.stringify({ position: '0-1-42' })); return; }
      const pipeline = url.searchParams.get('pipeline');
      if (pipeline !== 'catalog') { res.statusCode = 404; res.end(JSON.stringify({ error: { code: 'CDC_UNKNOWN_PIPELINE' } })); return; }
      res.end(JSON.stringify({ applied: --appliedAfter <= 0 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => { server.close(); });
  beforeEach(() => { asked.length = 0; });

  const check = () => createCdcSyncCheck({ baseUrl: base, pipelineOf: (id) => ({ products: 'catalog', orders: 'orders' })[id], pollMs: 5 });

  it('reads the position and polls until applied', async () => {
    appliedAfter = 3;
    const c = check();
    expect(await c.position('products')).to.equal('0-1-42');
    expect(await c.waitApplied('products', '0-1-42', 2000)).to.equal(true);
    expect(asked.filter((a) => a.startsWith('/positions/applied'))).to.have.length(3);
    expect(asked[1]).to.equal('/positions/applied?pipeline=catalog&position=0-1-42');
  });

  it('answers false when not applied within the wait', async () => {
    appliedAfter = 1_000_000;
    expect(await check().waitApplied('products', '0-1-42', 60)).to.equal(false);
  });

  it('is unknown for a route without a pipeline, an unknown pipeline, or a CDC that does not answer', async () => {
    expect(await check().position('nope')).to.equal(undefined);
    expect(await check().waitApplied('orders', '0-1-42', 50)).to.equal(undefined);
    const down = createCdcSyncCheck({ baseUrl: 'http://127.0.0.1:9', pipelineOf: () => 'catalog' });
    expect(await down.position('products')).to.equal(undefined);
    expect(await down.waitApplied('products', '0-1-42', 1000)).to.equal(undefined);
  });
});
