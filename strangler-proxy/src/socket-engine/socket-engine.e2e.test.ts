import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';
import { rawExchange, rawRequest } from '../testing/http-client.ts';
import { startRawBackend } from '../testing/raw-backend.ts';
import { adminGet, startTestProxy, uniqueFlag } from '../testing/test-proxy.ts';

// What only the socket engine does (the engine-independent behaviour is in the proxy suites, which
// run against both engines): keeping to its subset, handing the rest over, framing, stale sockets.
describe('strangler proxy socket engine', function () {
  this.timeout(30_000);
  let legacy: TestBackend;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  const raw: Array<{ close(): Promise<void> }> = [];
  const proxyFor = (origin: string) => startTestProxy({ targets: { legacy: origin }, routes: [], env: { FICUS_PROXY_ENGINE: 'socket' } });

  before(async () => {
    legacy = await startTestBackend('legacy');
    proxy = await proxyFor(legacy.origin);
  });
  after(async () => {
    await proxy?.close();
    await legacy?.close();
    for (const r of raw) await r.close();
  });

  it('answers pipelined requests in order (a small body included), hands a connection to node:http at its first chunked body (its bytes intact), and closes on Connection: close', async () => {
    const before = legacy.seen.length;
    const answer = await rawExchange(proxy.port, [
      'GET /a HTTP/1.1\r\nHost: shop.test\r\n\r\n',
      'POST /b HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 5\r\n\r\nhello',
      'POST /c HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nworld\r\n0\r\n\r\n',
      'GET /d HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n',
    ].join(''), 5_000);
    const statuses = [...answer.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => m[1]);
    expect(statuses).to.deep.equal(['200', '200', '200', '200']);
    expect([...answer.matchAll(/"url":"(\/\w)"/g)].map((m) => m[1])).to.deep.equal(['/a', '/b', '/c', '/d']);
    // node:http may start a later pipelined request before an earlier body is read; the answers stay in order
    expect(legacy.seen.slice(before).map((s) => `${s.method} ${s.url} ${s.body.toString()}`).sort()).to.deep.equal(['GET /a ', 'GET /d ', 'POST /b hello', 'POST /c world']);
    const metrics = await (await adminGet(proxy, '/metrics')).text();
    expect(metrics).to.match(/ficus_proxy_engine_handoffs_total\{reason="body"\} 1\b/);
  });

  it('serves a body up to FICUS_PROXY_REPLAY_BODY_BYTES itself, even when it arrives in pieces, and hands a larger one to node:http', async () => {
    const p = await startTestProxy({ targets: { legacy: legacy.origin }, routes: [], env: { FICUS_PROXY_ENGINE: 'socket', FICUS_PROXY_REPLAY_BODY_BYTES: '1000' } });
    try {
      const before = legacy.seen.length;
      const small = 'x'.repeat(1000);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(p.port, '127.0.0.1', () => {
          socket.write(`PUT /small HTTP/1.1\r\nHost: shop.test\r\nContent-Length: ${small.length}\r\n\r\n${small.slice(0, 300)}`);
          setTimeout(() => socket.write(small.slice(300)), 50);
          setTimeout(() => socket.write(`PUT /large HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 1001\r\nConnection: close\r\n\r\n${'y'.repeat(1001)}`), 100);
        });
        let out = '';
        socket.on('data', (c: Buffer) => { out += c.toString('latin1'); });
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
      });
      expect([...answer.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => m[1])).to.deep.equal(['200', '200']);
      expect(legacy.seen.slice(before).map((s) => `${s.url} ${s.body.length}`)).to.deep.equal(['/small 1000', '/large 1001']);
      const metrics = await (await adminGet(p, '/metrics')).text();
      expect(metrics, 'only the larger body was handed off').to.match(/ficus_proxy_engine_handoffs_total\{reason="body"\} 1\b/);
    } finally {
      await p.close();
    }
  });

  it('answers a client that half-closes after its request', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(proxy.port, '127.0.0.1', () => socket.end('GET /half HTTP/1.1\r\nHost: shop.test\r\n\r\n'));
      let out = '';
      socket.on('data', (c: Buffer) => { out += c.toString('latin1'); });
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
    expect(answer).to.match(/^HTTP\/1\.1 200 [\s\S]*"url":"\/half"/);
  });

  it('does not take a slow reader for a slow backend: the route timeout runs only while the backend owes bytes', async () => {
    const big = Buffer.alloc(32 * 1024 * 1024, 'x');
    const backend = await startTestBackend('big');
    backend.handle((_q, res) => { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length }); res.end(big); });
    const p = await startTestProxy({
      targets: { legacy: backend.origin, svc: backend.origin },
      routes: [{ id: 'big', method: 'GET', path: '/big', service: 'svc', flag: uniqueFlag('big') }], // on legacy: the flag is unknown
      env: { FICUS_PROXY_ENGINE: 'socket', FICUS_PROXY_TIMEOUT_MS: '300' },
    });
    try {
      const got = await new Promise<number>((resolve, reject) => {
        httpRequest(`${p.url}/big`, { agent: false }, (res) => {
          let n = 0;
          res.pause();
          setTimeout(() => { res.on('data', (c: Buffer) => { n += c.length; }); res.resume(); }, 1_000); // three timeouts long
          res.on('end', () => resolve(n));
          res.on('error', reject);
        }).on('error', reject).end();
      });
      expect(got).to.equal(big.length);
    } finally {
      await p.close();
      await backend.close();
    }
  });

  it('relays a response whose end is the backend closing the connection, re-framed as chunked', async () => {
    const backend = await startRawBackend((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\npart one, ');
      setTimeout(() => socket.end('part two'), 20);
    });
    raw.push(backend);
    const p = await proxyFor(backend.origin);
    try {
      const r = await rawRequest(`${p.url}/x`);
      expect(r.status).to.equal(200);
      expect(r.headers['transfer-encoding']).to.equal('chunked');
      expect(r.body.toString()).to.equal('part one, part two');
    } finally {
      await p.close();
    }
  });

  it('retries a GET on a fresh connection when the backend dropped the kept-alive one as the request went out', async () => {
    // Each connection answers its first request and drops at the second: a keep-alive race.
    const backend = await startRawBackend((socket, _head, n) => {
      if (n > 1) { socket.destroy(); return; }
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    raw.push(backend);
    const p = await proxyFor(backend.origin);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await rawRequest(`${p.url}/x`);
        expect([r.status, r.body.toString()], `request ${i + 1}`).to.deep.equal([200, 'ok']);
      }
      expect(backend.connections()).to.equal(3);
    } finally {
      await p.close();
    }
  });

  const refused: Array<[string, string]> = [
    ['a bare LF that would split the response', 'HTTP/1.1 200 OK\r\nX-A: 1\nSet-Cookie: evil=1\r\nContent-Length: 2\r\n\r\nok'],
    ['conflicting lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'],
    ['a broken status line', 'HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\nok'],
  ];
  for (const [what, bytes] of refused) {
    it(`answers a JSON 502 instead of relaying a backend response with ${what}`, async () => {
      const backend = await startRawBackend((socket) => socket.end(bytes));
      raw.push(backend);
      const p = await proxyFor(backend.origin);
      try {
        const r = await rawRequest(`${p.url}/x`);
        expect(r.status).to.equal(502);
        expect(JSON.parse(r.body.toString()).error.code).to.equal('PROXY_UPSTREAM_UNAVAILABLE');
        expect(r.headers).not.to.have.property('set-cookie');
      } finally {
        await p.close();
      }
    });
  }

  it('cuts the client connection when a chunked body turns malformed after the head went out', async () => {
    const backend = await startRawBackend((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      setTimeout(() => socket.write('zz\r\n'), 20);
    });
    raw.push(backend);
    const p = await proxyFor(backend.origin);
    try {
      const err = await rawRequest(`${p.url}/x`).then(() => undefined, (e: Error) => e);
      expect(err, 'the client sees the failure').to.be.instanceOf(Error);
    } finally {
      await p.close();
    }
  });
});
