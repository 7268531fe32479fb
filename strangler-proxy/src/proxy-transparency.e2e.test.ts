import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { hopByHop } from './engine-shared/hop-by-hop.ts';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { rawExchange, rawRequest } from './testing/http-client.ts';
import { describeEachEngine, startTestProxy, uniqueFlag, unleashAdmin } from './testing/test-proxy.ts';

/** Response headers as a comparable map, without hop-by-hop ones. */
const endToEnd = (raw: string[]) => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) if (!hopByHop.has(raw[i]!.toLowerCase())) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out.sort((a, b) => (a[0] === b[0] ? a[1].localeCompare(b[1]) : a[0].localeCompare(b[0])));
};

/** Minimal WebSocket server side: handshake, then echo one masked text frame back unmasked, upper-cased. */
const acceptWebSocket = (backend: TestBackend) => {
  backend.server.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nX-Backend: ${backend.name}\r\n\r\n`);
    socket.on('data', (frame: Buffer) => {
      const len = frame[1]! & 0x7f;
      const mask = frame.subarray(2, 6);
      const payload = Buffer.from(frame.subarray(6, 6 + len).map((b, i) => b ^ mask[i % 4]!));
      const reply = Buffer.from(`${backend.name}:${payload.toString().toUpperCase()}`);
      socket.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
    });
  });
};

describeEachEngine('strangler proxy transparency', function () {
  this.timeout(60_000);
  const admin = unleashAdmin();
  const flag = uniqueFlag('transparent');
  let legacy: TestBackend;
  let svc: TestBackend;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  let legacyConnections = 0;

  before(async () => {
    legacy = await startTestBackend('legacy');
    svc = await startTestBackend('service');
    legacy.server.on('connection', () => legacyConnections++);
    acceptWebSocket(legacy);
    acceptWebSocket(svc);
    await admin.ensureFlag(flag);
    await admin.setMode(flag, 'service');
    proxy = await startTestProxy({ targets: { legacy: legacy.origin, svc: svc.origin }, routes: [{ id: 'svc', method: '*', path: '/svc/*', service: 'svc', flag }] });
    await waitFor(async () => ((await (await fetch(`${proxy.url}/svc/ping`)).json()) as { backend: string }).backend === 'service', { what: 'service mode' });
  });
  after(async () => {
    await proxy?.close();
    await legacy?.close();
    await svc?.close();
    await admin.deleteFlag(flag).catch(() => {});
  });

  it('passes method, path, query, headers and cookies; drops hop-by-hop; keeps Host; adds X-Forwarded-*', async () => {
    await rawRequest(`${proxy.url}/legacy/a%20b/c?x=1&y=%C3%A9&x=2`, {
      method: 'PATCH',
      headers: [
        ['Host', 'shop.example:8443'],
        ['X-Custom', 'one'],
        ['X-Custom', 'two'],
        ['Cookie', 'sid=abc; theme=dark'],
        ['Connection', 'keep-alive, X-Hop'],
        ['X-Hop', 'must not pass'],
        ['Keep-Alive', 'timeout=5'],
        ['TE', 'trailers'],
        ['Proxy-Authorization', 'Basic secret'],
        ['X-Forwarded-For', '6.6.6.6'],
        ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
        ['Content-Type', 'text/plain'],
        ['Content-Length', '5'],
      ],
      body: 'hello',
    });
    const seen = legacy.seen.at(-1)!;
    expect(seen.method).to.equal('PATCH');
    expect(seen.url).to.equal('/legacy/a%20b/c?x=1&y=%C3%A9&x=2');
    expect(seen.body.toString()).to.equal('hello');
    expect(seen.headers.host).to.equal('shop.example:8443');
    expect(seen.headers['x-custom']).to.equal('one, two');
    expect(seen.headers.cookie).to.equal('sid=abc; theme=dark');
    expect(seen.headers.traceparent).to.equal('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    for (const h of ['x-hop', 'keep-alive', 'te', 'proxy-authorization']) expect(seen.headers, h).not.to.have.property(h);
    expect(seen.headers['x-forwarded-for'], 'client-sent X-Forwarded-For replaced (not trusted)').to.equal('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).to.equal('http');
    expect(seen.headers['x-forwarded-host']).to.equal('shop.example:8443');
    expect(seen.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('never lets Connection take off Host, Content-Length or the headers the proxy sets', async () => {
    const answer = await rawExchange(proxy.port, 'PUT /legacy/conn HTTP/1.1\r\nHost: shop.example\r\nConnection: close, Host, Content-Length, X-Forwarded-For, X-Request-Id, X-Hop\r\n'
      + 'X-Hop: dropped\r\nContent-Length: 5\r\n\r\nhello');
    expect(answer).to.match(/^HTTP\/1\.1 200 /);
    const seen = legacy.seen.at(-1)!;
    expect([seen.method, seen.url, seen.body.toString()]).to.deep.equal(['PUT', '/legacy/conn', 'hello']);
    expect(seen.headers.host).to.equal('shop.example');
    expect(seen.headers).not.to.have.property('x-hop');
    expect(seen.headers['x-forwarded-for']).to.equal('127.0.0.1');
    expect(seen.headers['x-forwarded-host']).to.equal('shop.example');
    expect(seen.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('serves an upgrade it does not take (curl --http2 offers h2c) as the plain request: the backend\'s own answer', async () => {
    for (const path of ['/legacy/h2c', '/svc/h2c']) {
      const answer = await rawExchange(proxy.port, `GET ${path} HTTP/1.1\r\nHost: a\r\nUser-Agent: curl/8\r\nAccept: */*\r\n`
        + 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n', 1_000);
      expect(answer, path).to.match(/^HTTP\/1\.1 200 /);
      expect(answer).to.include(`"url":"${path}"`);
      const seen = (path.startsWith('/svc') ? svc : legacy).seen.at(-1)!;
      expect(seen.url).to.equal(path);
      for (const h of ['upgrade', 'http2-settings']) expect(seen.headers, h).not.to.have.property(h);
      expect(seen.headers.connection ?? '', 'the proxy\'s own connection to the backend').not.to.match(/upgrade/i);
    }
  });

  it('forwards extension methods (WebDAV PROPFIND, QUERY) with their bodies; refuses TRACE and CONNECT', async () => {
    const propfind = await rawRequest(`${proxy.url}/svc/dav`, { method: 'PROPFIND', headers: { depth: '1', 'content-type': 'application/xml' }, body: '<propfind/>' });
    expect(propfind.status).to.equal(200);
    expect(svc.seen.at(-1)).to.deep.include({ method: 'PROPFIND', url: '/svc/dav' });
    expect(svc.seen.at(-1)!.body.toString()).to.equal('<propfind/>');
    expect(svc.seen.at(-1)!.headers.depth).to.equal('1');
    const query = await rawRequest(`${proxy.url}/legacy/q`, { method: 'QUERY', headers: { 'content-type': 'text/plain' }, body: 'a=1' });
    expect([query.status, legacy.seen.at(-1)!.method]).to.deep.equal([200, 'QUERY']);
    expect(await rawExchange(proxy.port, 'TRACE /legacy/t HTTP/1.1\r\nHost: a\r\n\r\n')).to.match(/^HTTP\/1\.1 405 [\s\S]*PROXY_METHOD_NOT_ALLOWED/);
  });

  it('passes a client x-request-id through unchanged', async () => {
    await rawRequest(`${proxy.url}/svc/rid`, { headers: { 'x-request-id': 'req-123.abc' } });
    expect(svc.seen.at(-1)!.headers['x-request-id']).to.equal('req-123.abc');
  });

  it('answers exactly what the backend answered, minus hop-by-hop headers (status, reason, set-cookie, custom headers, body)', async () => {
    legacy.handle((_req, res) => {
      res.sendDate = false;
      res.writeHead(418, 'I Am A Teapot', [
        ['Set-Cookie', 'a=1; Path=/; HttpOnly'], ['Set-Cookie', 'b=2; Path=/'], ['X-Thing', 'v'], ['Content-Type', 'text/plain'],
        ['Cache-Control', 'no-store'], ['Connection', 'X-Internal'], ['X-Internal', 'secret'],
      ].flat());
      res.end('short and stout');
    });
    const direct = await rawRequest(`${legacy.origin}/teapot`);
    const proxied = await rawRequest(`${proxy.url}/teapot`);
    expect(proxied.status).to.equal(418);
    expect(proxied.statusMessage).to.equal('I Am A Teapot');
    expect(proxied.body.toString()).to.equal(direct.body.toString());
    const expected = endToEnd(direct.rawHeaders).filter(([n]) => n !== 'x-internal');
    expect(endToEnd(proxied.rawHeaders)).to.deep.equal(expected);
    expect(proxied.headers['set-cookie']).to.deep.equal(['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
    expect(proxied.headers).not.to.have.property('x-ficus-served-by');
    legacy.handle((req, res, body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ backend: 'legacy', url: req.url, bodyLength: body.length })); });
  });

  it('passes redirects through without following them', async () => {
    legacy.handle((_req, res) => { res.writeHead(302, { location: '/login?next=%2Fcart' }); res.end(); });
    const r = await rawRequest(`${proxy.url}/cart`);
    expect(r.status).to.equal(302);
    expect(r.headers.location).to.equal('/login?next=%2Fcart');
    expect(legacy.seen.at(-1)!.url).to.equal('/cart');
  });

  it('handles 204, 304 and HEAD without inventing bodies', async () => {
    legacy.handle((req, res) => {
      if (req.url === '/empty') { res.writeHead(204, { 'x-a': '1' }); res.end(); return; }
      if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304, { etag: '"v1"' }); res.end(); return; }
      res.writeHead(200, { etag: '"v1"', 'content-type': 'text/plain', 'content-length': '11' });
      res.end(req.method === 'HEAD' ? undefined : 'hello world');
    });
    const noContent = await rawRequest(`${proxy.url}/empty`, { method: 'DELETE' });
    expect([noContent.status, noContent.body.length, noContent.headers['x-a']]).to.deep.equal([204, 0, '1']);
    const notModified = await rawRequest(`${proxy.url}/doc`, { headers: { 'if-none-match': '"v1"' } });
    expect([notModified.status, notModified.body.length, notModified.headers.etag]).to.deep.equal([304, 0, '"v1"']);
    const head = await rawRequest(`${proxy.url}/doc`, { method: 'HEAD' });
    expect([head.status, head.body.length, head.headers['content-length']]).to.deep.equal([200, 0, '11']);
  });

  it('streams a chunked response: the first chunk reaches the client before the backend finishes', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    legacy.handleRaw((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      void released.then(() => res.end('last'));
    });
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest(`${proxy.url}/stream`, { agent: false }, (res) => {
        expect(res.headers['transfer-encoding']).to.equal('chunked');
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text === 'first;') release(); // only now may the backend finish
        });
        res.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    expect(body).to.equal('first;last');
  });

  it('streams a chunked request: the backend sees the first chunk before the client sends the rest', async () => {
    let firstSeen!: () => void;
    const backendGotFirst = new Promise<void>((r) => { firstSeen = r; });
    legacy.handleRaw((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => { text += c.toString(); if (text === 'part1;') firstSeen(); });
      req.on('end', () => { res.writeHead(200); res.end(`got:${text}`); });
    });
    const result = new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${proxy.url}/upload`, { method: 'POST', agent: false, headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => { t += c.toString(); });
        res.on('end', () => resolve(t));
      });
      req.on('error', reject);
      req.write('part1;');
      void backendGotFirst.then(() => req.end('part2'));
    });
    expect(await result).to.equal('got:part1;part2');
  });

  it('streams large bodies both ways intact (20 MB up, 20 MB down)', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'abcdefghij');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    legacy.handleRaw((req, res) => {
      const hash = createHash('sha256');
      let n = 0;
      req.on('data', (c: Buffer) => { hash.update(c); n += c.length; });
      req.on('end', () => {
        res.writeHead(200, { 'x-upload-sha': hash.digest('hex'), 'x-upload-bytes': String(n), 'content-length': String(big.length) });
        res.end(big);
      });
    });
    const r = await rawRequest(`${proxy.url}/big`, { method: 'PUT', headers: { 'content-length': String(big.length) }, body: big });
    expect(r.headers['x-upload-bytes']).to.equal(String(big.length));
    expect(r.headers['x-upload-sha']).to.equal(sha(big));
    expect(r.body.length).to.equal(big.length);
    expect(sha(r.body)).to.equal(sha(big));
  });

  it('keeps connections to the backend alive across requests', async () => {
    legacy.handle((_req, res) => { res.writeHead(200); res.end('ok'); });
    const before = legacyConnections;
    for (let i = 0; i < 50; i++) await rawRequest(`${proxy.url}/ka/${i}`);
    expect(legacyConnections - before, 'new backend connections for 50 sequential requests').to.be.at.most(2);
  });

  it('passes WebSocket upgrades through, on the side the route is on', async () => {
    const talk = (path: string) => new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${proxy.url.replace('http', 'ws')}${path}`);
      ws.onopen = () => ws.send('hello');
      ws.onmessage = (m) => { resolve(String(m.data)); ws.close(); };
      ws.onerror = () => reject(new Error('websocket failed'));
    });
    expect(await talk('/chat')).to.equal('legacy:HELLO');
    expect(await talk('/svc/chat')).to.equal('service:HELLO');
  });
});
