import { expect } from 'chai';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { waitFor } from '@ficus/common/core';
import { startRawBackend } from '../testing/raw-backend.ts';
import type { ConnExchange } from './client-connection.ts';
import { Exchange } from './exchange.ts';
import { engineContext, metricValue, received, requestHead, socketPair, type EngineContext } from './fake-engine-context.ts';

/** A backend that answers each request head with `answer(head, n)` (n: its number on that connection), and remembers the heads. */
const backend = async (answer: (socket: Socket, head: string, n: number) => void) => {
  const heads: string[] = [];
  const closed: number[] = [];
  const b = await startRawBackend((socket, head, n) => {
    heads.push(head);
    if (n === 1) socket.once('close', () => closed.push(Date.now()));
    answer(socket, head, n);
  });
  return { ...b, heads, closedSockets: () => closed.length };
};

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

/** An origin where nothing listens. */
const deadOrigin = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
};

/** The client's view of one response: status line, lower-case headers, body. */
const parse = (text: string) => {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { statusLine: statusLine!, headers, body: text.slice(end + 4) };
};

describe('socket engine: exchange (one request relayed to a backend socket)', function () {
  this.timeout(10_000);
  const closers: Array<() => unknown> = [];
  afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });

  const routes = [{ id: 'items', method: ['GET', 'HEAD', 'POST'] as Array<'GET' | 'HEAD' | 'POST'>, path: '/items/*', service: 'svc', flag: 'f-items', timeoutMs: 200 }];
  const context = (targets: Record<string, string>, o: Omit<Parameters<typeof engineContext>[0], 'targets'> = {}) => {
    const ctx = engineContext({ targets: { svc: 'http://127.0.0.1:1', ...targets }, routes, ...o });
    closers.push(() => ctx.pools.close());
    return ctx;
  };
  const started = async (b: { close(): Promise<void> } & Awaited<ReturnType<typeof backend>>) => {
    closers.push(b.close);
    return b;
  };

  /** Starts one exchange for `request` on a fresh client connection; `done` resolves once it told its connection and the client read all. */
  const exchange = async (ctx: EngineContext, request: string) => {
    const { client, server } = await socketPair();
    closers.push(() => { client.destroy(); server.destroy(); });
    const headText = request.slice(0, request.indexOf('\r\n\r\n') + 4);
    const head = requestHead(headText);
    const body = request.length > headText.length ? Buffer.from(request.slice(headText.length), 'latin1') : null;
    let finished: ConnExchange | undefined;
    // like a connection after a `Connection: close` exchange: the client reads the answer to its end
    const ex = new Exchange(ctx, { socket: server, done: (e) => { finished = e; server.end(); } }, head, head.url.split('?')[0]!, body);
    const got = received(client);
    ex.start();
    return { ex, got, client, server, done: () => waitFor(() => finished === ex && got.closed, { intervalMs: 5, what: 'exchange done, answer read' }) };
  };

  it('relays a Content-Length response (hop-by-hop lines cut), forwards the request with Host kept and X-Forwarded-* set, and keeps the backend connection for the next exchange', async () => {
    const legacy = await started(await backend((s, _h, n) => s.write(ok(`hello ${n}`, 'Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-App: 1\r\n'))));
    const ctx = context({ legacy: legacy.origin });
    const first = await exchange(ctx, 'GET /a?x=1 HTTP/1.1\r\nHost: shop.test\r\nConnection: keep-alive\r\nX-Request-Id: req-1\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n');
    await first.done();
    const r = parse(first.got.text);
    expect(r.statusLine).to.equal('HTTP/1.1 200 OK');
    expect(r.headers).to.include({ 'content-length': '7', 'x-app': '1' });
    expect(r.headers).to.not.have.any.keys('connection', 'keep-alive');
    expect(r.body).to.equal('hello 1');
    expect(legacy.heads[0]).to.equal('GET /a?x=1 HTTP/1.1\r\nHost: shop.test\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: shop.test\r\nx-request-id: req-1');
    expect([first.ex.status, first.ex.served, first.ex.error]).to.deep.equal([200, 'legacy', undefined]);

    const second = await exchange(ctx, 'GET /b HTTP/1.1\r\nHost: shop.test\r\n\r\n');
    await second.done();
    expect(parse(second.got.text).body).to.equal('hello 2');
    expect(legacy.connections()).to.equal(1);
    expect(await metricValue(ctx.metrics, 'ficus_proxy_requests_total', { route: '(unmatched)', side: 'legacy', status_class: '2xx' })).to.equal(2);
  });

  it('sends a held request body right behind its head, byte for byte', async () => {
    let bytes = '';
    const server = createServer((socket) => socket.on('data', (c: Buffer) => {
      bytes += c.toString('latin1');
      if (bytes.endsWith('}')) socket.write(ok(''));
    }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    const ctx = context({ legacy: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const body = '{"a":"\xe9\xe9"}';
    const x = await exchange(ctx, `POST /orders HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await x.done();
    expect(bytes).to.equal(`POST /orders HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: h\r\nx-request-id: ${x.ex.requestId}\r\n\r\n{"a":"\xe9\xe9"}`);
    expect(parse(x.got.text).statusLine).to.equal('HTTP/1.1 200 OK');
  });

  it('relays a chunked response as sent and reuses the backend connection after its last chunk', async () => {
    const legacy = await started(await backend((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n')));
    const ctx = context({ legacy: legacy.origin });
    for (const path of ['/a', '/b']) {
      const x = await exchange(ctx, `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
      await x.done();
      expect(parse(x.got.text).headers['transfer-encoding']).to.equal('chunked');
      expect(parse(x.got.text).body).to.equal('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    }
    expect(legacy.connections()).to.equal(1);
  });

  it('re-frames a response delimited by the backend closing as chunked, and does not reuse that connection', async () => {
    const sockets: Socket[] = [];
    const legacy = await started(await backend((s) => { sockets.push(s); s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil'); }));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await x.got.until(() => x.got.text.endsWith('until\r\n'));
    sockets[0]!.end(' close');
    await x.done();
    const r = parse(x.got.text);
    expect(r.headers['transfer-encoding']).to.equal('chunked');
    expect(r.body).to.equal('5\r\nuntil\r\n6\r\n close\r\n0\r\n\r\n');
    const y = await exchange(ctx, 'GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    await y.got.until(() => y.got.text.includes('until'));
    sockets[1]!.end();
    await y.done();
    expect(legacy.connections()).to.equal(2);
  });

  it('finishes a HEAD response at its head (no body read for its Content-Length) and keeps the connection', async () => {
    const legacy = await started(await backend((s, h) => s.write(h.startsWith('HEAD') ? 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n' : ok('after'))));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await x.done();
    expect(x.got.text).to.equal('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
    const y = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await y.done();
    expect(parse(y.got.text).body).to.equal('after');
    expect(legacy.connections()).to.equal(1);
  });

  it('answers 502 PROXY_UPSTREAM_UNAVAILABLE (JSON, with the request id) when the backend refuses the connection', async () => {
    const ctx = context({ legacy: await deadOrigin() });
    const x = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-502\r\nConnection: close\r\n\r\n');
    await x.done();
    const r = parse(x.got.text);
    expect(r.statusLine).to.equal('HTTP/1.1 502 Bad Gateway');
    expect(r.headers).to.include({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-502', 'cache-control': 'no-store', connection: 'close' });
    expect(JSON.parse(r.body)).to.deep.equal({ error: { code: 'PROXY_UPSTREAM_UNAVAILABLE', message: 'no backend could answer', requestId: 'req-502' } });
    expect(Number(r.headers['content-length'])).to.equal(Buffer.byteLength(r.body));
    expect(x.ex.error).to.equal('UPSTREAM_CONNECT_FAILED');
    expect(await metricValue(ctx.metrics, 'ficus_proxy_requests_total', { route: '(unmatched)', side: 'none', status_class: '5xx' })).to.equal(1);
  });

  it('refuses a malformed backend response with 502 and drops that backend connection', async () => {
    const legacy = await started(await backend((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab')));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await x.done();
    expect(parse(x.got.text).statusLine).to.equal('HTTP/1.1 502 Bad Gateway');
    expect(JSON.parse(parse(x.got.text).body).error.code).to.equal('PROXY_UPSTREAM_UNAVAILABLE');
    expect(x.ex.error).to.equal('PROXY_BAD_UPSTREAM_RESPONSE');
    await waitFor(() => legacy.closedSockets() === 1, { intervalMs: 5, what: 'backend socket closed' });
  });

  it('answers 504 PROXY_UPSTREAM_TIMEOUT once the route timeout passes without a response head (not before), closing the backend socket', async () => {
    const service = await started(await backend(() => { /* never answers */ }));
    const ctx = context({ svc: service.origin, legacy: await deadOrigin() }, { modes: { 'f-items': 'service' } });
    const x = await exchange(ctx, 'POST /items/1 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n'); // a POST: no fallback
    await waitFor(() => service.heads.length === 1, { intervalMs: 5, what: 'request at the backend' });
    x.ex.check(x.ex.deadline - 1);
    expect([x.ex.finished, x.ex.status], 'before the deadline').to.deep.equal([false, 0]);
    x.ex.check(x.ex.deadline + 1);
    await x.done();
    const r = parse(x.got.text);
    expect(r.statusLine).to.equal('HTTP/1.1 504 Gateway Timeout');
    expect(JSON.parse(r.body).error.code).to.equal('PROXY_UPSTREAM_TIMEOUT');
    await waitFor(() => service.closedSockets() === 1, { intervalMs: 5, what: 'backend socket closed' });
  });

  it('cuts the client connection when the backend stalls past the timeout in the middle of a body (the status is out already)', async () => {
    const legacy = await started(await backend((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf')));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await x.got.until(() => x.got.text.endsWith('half'));
    x.ex.check(x.ex.deadline + 1);
    await x.done();
    await x.got.until(() => x.got.closed);
    expect(x.got.text).to.equal('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    expect(x.ex.error).to.equal('UPSTREAM_TIMEOUT');
    await waitFor(() => legacy.closedSockets() === 1, { intervalMs: 5, what: 'backend socket closed' });
  });

  it('falls back to legacy when the service answers 5xx, says so in x-ficus-served-by, and counts the fallback', async () => {
    const service = await started(await backend((s) => s.write('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown')));
    const legacy = await started(await backend((s) => s.write(ok('from legacy'))));
    const ctx = context({ svc: service.origin, legacy: legacy.origin }, { modes: { 'f-items': 'service' }, debugHeader: true });
    const x = await exchange(ctx, 'GET /items/1 HTTP/1.1\r\nHost: h\r\n\r\n');
    await x.done();
    const r = parse(x.got.text);
    expect([r.statusLine, r.body]).to.deep.equal(['HTTP/1.1 200 OK', 'from legacy']);
    expect(r.headers['x-ficus-served-by']).to.equal('legacy; route=items; mode=service; fallback=service-5xx');
    expect(service.heads).to.have.length(1);
    expect(await metricValue(ctx.metrics, 'ficus_proxy_fallbacks_total', { route: 'items', reason: 'service-5xx' })).to.equal(1);
  });

  it('answers 502 PROXY_CIRCUIT_OPEN without contacting a service whose breaker is open, for a request that may not fall back', async () => {
    const service = await started(await backend((s) => s.write(ok('svc'))));
    const ctx = context({ svc: service.origin, legacy: await deadOrigin() }, { modes: { 'f-items': 'service' } });
    const breaker = ctx.upstreams.breaker(service.origin);
    breaker.failure();
    breaker.failure();
    expect(breaker.state).to.equal('open');
    const x = await exchange(ctx, 'POST /items HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n');
    await x.done();
    expect(parse(x.got.text).statusLine).to.equal('HTTP/1.1 502 Bad Gateway');
    expect(JSON.parse(parse(x.got.text).body).error.code).to.equal('PROXY_CIRCUIT_OPEN');
    expect(service.connections()).to.equal(0);
  });

  it('releases the backend socket when the client leaves while the response is awaited, and reports 499', async () => {
    const legacy = await started(await backend(() => { /* never answers */ }));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await waitFor(() => legacy.heads.length === 1, { intervalMs: 5, what: 'request at the backend' });
    x.ex.clientLeft(); // what the connection calls when the client's socket closes
    await x.done();
    await waitFor(() => legacy.closedSockets() === 1, { intervalMs: 5, what: 'backend socket closed' });
    expect(x.ex.upstream).to.equal(undefined);
    expect(await metricValue(ctx.metrics, 'ficus_proxy_requests_total', { route: '(unmatched)', side: 'none', status_class: '4xx' })).to.equal(1);
  });

  it('puts a backend connection that opens after the client left back in the pool unused', async () => {
    const legacy = await started(await backend((s) => s.write(ok('served'))));
    const ctx = context({ legacy: legacy.origin });
    const x = await exchange(ctx, 'GET /gone HTTP/1.1\r\nHost: h\r\n\r\n');
    x.ex.clientLeft(); // before the pool's connect completes
    await x.done();
    await waitFor(() => legacy.connections() === 1, { intervalMs: 5, what: 'connection opened' });
    const y = await exchange(ctx, 'GET /next HTTP/1.1\r\nHost: h\r\n\r\n');
    await y.done();
    expect(parse(y.got.text).body).to.equal('served');
    expect(legacy.connections()).to.equal(1);
    expect(legacy.heads.map((h) => h.split(' ')[1])).to.deep.equal(['/next']);
  });

  it('retries an idempotent request once on a fresh connection when a reused one closes unanswered, but answers 502 to a POST', async () => {
    // every connection answers its first request, then closes without answering the second
    const legacy = await started(await backend((s, _h, n) => (n === 1 ? s.write(ok('first')) : s.destroy())));
    const ctx = context({ legacy: legacy.origin });
    await (await exchange(ctx, 'GET /warm HTTP/1.1\r\nHost: h\r\n\r\n')).done();
    const get = await exchange(ctx, 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    await get.done();
    expect([parse(get.got.text).statusLine, parse(get.got.text).body]).to.deep.equal(['HTTP/1.1 200 OK', 'first']);
    expect(legacy.connections()).to.equal(2);
    const post = await exchange(ctx, 'POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n');
    await post.done();
    expect(parse(post.got.text).statusLine).to.equal('HTTP/1.1 502 Bad Gateway');
    expect(post.ex.error).to.equal('UPSTREAM_CLOSED');
  });

  it('offers a shadow-mode request to the sink with the header list the primary gets, and serves it from legacy', async () => {
    const legacy = await started(await backend((s) => s.write(ok('legacy'))));
    const ctx = context({ legacy: legacy.origin }, { modes: { 'f-items': 'shadow' } });
    const x = await exchange(ctx, 'GET /items?page=2 HTTP/1.1\r\nHost: h\r\nX-Request-Id: req-s\r\nAccept: */*\r\n\r\n');
    await x.done();
    expect(ctx.offers).to.have.length(1);
    const offer = ctx.offers[0]!;
    expect([offer.routeId, offer.requestId, offer.method, offer.url, offer.body, offer.target]).to.deep.equal(['items', 'req-s', 'GET', '/items?page=2', null, 'http://127.0.0.1:1']);
    expect(offer.headers).to.deep.equal(['Host', 'h', 'Accept', '*/*', 'x-forwarded-for', '127.0.0.1', 'x-forwarded-proto', 'http', 'x-forwarded-host', 'h', 'x-request-id', 'req-s']);
    const sent = legacy.heads[0]!.split('\r\n').slice(1).map((l) => l.split(': '));
    expect(sent.flat()).to.deep.equal(offer.headers);
    expect(parse(x.got.text).body).to.equal('legacy');
  });
});
