import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureTracingCost } from './tracing-cost.ts';

describe('tracing cost measurement (bench proxy --tracing)', function () {
  this.timeout(60_000);

  it('times the unsampled and the recorded path, and the recorded spans are exported', async () => {
    let posts = 0;
    const server = createServer((req, res) => { req.resume(); req.on('end', () => { posts++; res.writeHead(200, { 'content-type': 'application/json' }).end('{}'); }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const cost = await measureTracingCost(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, { requests: 2_000, rounds: 3 });
      expect(Number.isFinite(cost.unsampledNs)).to.equal(true);
      // a recorded span (object, attributes, export) is far more work than a traceparent string
      expect(cost.recordedNs).to.be.greaterThan(cost.unsampledNs);
      expect(posts).to.be.greaterThan(0);
    } finally {
      server.close();
    }
  });
});
