import { expect } from 'chai';
import type { Socket } from 'node:net';
import { waitFor } from '@ficus/common/core';
import { ClientConnection, headersTimeoutMs, keepAliveTimeoutMs, type ConnExchange } from './client-connection.ts';
import { engineContext, handOffServer, metricValue, received, socketPair, type EngineContext } from './fake-engine-context.ts';
import type { RequestHead } from './http1-head.ts';

/** What the connection handed to one exchange, and how the test answers it. */
interface Handed {
  method: string;
  url: string;
  path: string;
  body: string | null;
  left: boolean;
  checks: number;
  answer(): void;
}

// The connection alone, with a scripted exchange in place of the real one: it records what it was
// handed and answers `200 <method> <url> <body>` (at once in `auto` mode, else when told to).
const setup = async (o: { auto?: boolean; routes?: Parameters<typeof engineContext>[0]['routes']; ownsWrites?: boolean } = {}) => {
  const handed: Handed[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const mode = { auto: o.auto ?? true };
  const ctx: EngineContext = engineContext({
    targets: { legacy: 'http://127.0.0.1:1', svc: 'http://127.0.0.1:2' }, routes: o.routes, ownsWrites: o.ownsWrites,
    newExchange: (conn, head: RequestHead, path, body) => {
      const h: Handed = {
        method: head.method, url: head.url, path, body: body && body.toString('latin1'), left: false, checks: 0,
        answer() {
          const text = `${h.method} ${h.url} ${h.body ?? ''}`;
          conn.socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${text.length}\r\n\r\n${text}`);
          inFlight--;
          conn.done(ex);
        },
      };
      const ex: ConnExchange = {
        head,
        start() {
          handed.push(h);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          if (mode.auto) setImmediate(() => h.answer()); // still in flight while the next bytes are read
        },
        check() { h.checks++; },
        clientDrained() {},
        clientLeft() { h.left = true; },
      };
      return ex;
    },
  });
  const { client, server } = await socketPair();
  const conn = new ClientConnection(ctx, server);
  return { ctx, conn, client, got: received(client), handed, mode, maxInFlight: () => maxInFlight };
};

const responses = (text: string) => text.split('HTTP/1.1 ').slice(1).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4));

describe('socket engine: client connection (requests read off one socket)', () => {
  const open: Socket[] = [];
  afterEach(() => { for (const s of open.splice(0)) s.destroy(); });
  const track = <T extends { client: Socket; conn: ClientConnection; ctx: EngineContext }>(t: T): T => {
    open.push(t.client, t.conn.socket);
    return t;
  };

  it('hands pipelined requests to one exchange at a time, in order, each with exactly its own body, and keeps the connection open', async () => {
    const t = track(await setup());
    t.client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloDELETE /c HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /d HTTP/1.1\r\nHost: x\r\n\r\n');
    await t.got.until(() => responses(t.got.text).length === 4);
    expect(t.handed.map((h) => [h.method, h.url, h.path, h.body])).to.deep.equal([
      ['GET', '/a', '/a', null], ['POST', '/b?q=1', '/b', 'hello'], ['DELETE', '/c', '/c', null], ['GET', '/d', '/d', null],
    ]);
    expect(t.maxInFlight()).to.equal(1);
    expect(responses(t.got.text)).to.deep.equal(['GET /a ', 'POST /b?q=1 hello', 'DELETE /c ', 'GET /d ']);
    expect(t.got.closed).to.equal(false);
    expect(t.conn.pending).to.equal(undefined);
    expect(t.ctx.conns.size).to.equal(1);
  });

  it('waits for a head and a body that arrive in pieces, then hands them over whole', async () => {
    const t = track(await setup());
    const pieces = ['PO', 'ST /p HTTP/1.1\r\nHo', 'st: x\r\nContent-Length: 6\r\n', '\r\nab', 'cd', 'ef'];
    for (const [i, p] of pieces.entries()) {
      t.client.write(p);
      await waitFor(() => (t.conn.pending?.length ?? 0) === pieces.slice(0, i + 1).join('').length || t.handed.length > 0, { intervalMs: 5, what: `piece ${i} read` });
      if (i < pieces.length - 1) {
        expect(t.handed, `handed after piece ${i}`).to.have.length(0);
        expect(t.conn.headSince, 'the headers timeout runs').to.be.greaterThan(0);
      }
    }
    await t.got.until(() => responses(t.got.text).length === 1);
    expect(t.handed.map((h) => h.body)).to.deep.equal(['abcdef']);
    expect(t.conn.headSince).to.equal(0);
  });

  it('ends the connection after a response to `Connection: close`, never reading the request behind it', async () => {
    const t = track(await setup());
    t.client.write('GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await t.got.until(() => t.got.closed);
    expect(t.handed.map((h) => h.url)).to.deep.equal(['/a']);
    expect(responses(t.got.text)).to.deep.equal(['GET /a ']);
  });

  it('still answers a client that half-closed after its request, then ends the connection', async () => {
    const t = track(await setup());
    t.client.end('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await t.got.until(() => t.got.closed);
    expect(responses(t.got.text)).to.deep.equal(['GET /a ']);
    expect(t.conn.ended).to.equal(true);
  });

  it('hands the connection to node:http at a request outside its subset (chunked body), with its unread bytes intact', async () => {
    const t = track(await setup());
    const nodeHttp = t.ctx.handOffTo as ReturnType<typeof handOffServer>;
    t.client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n');
    await t.got.until(() => t.got.text.includes('node:http GET /after'));
    expect(t.handed.map((h) => h.url)).to.deep.equal(['/a']);
    expect(nodeHttp.seen.map((r) => `${r.method} ${r.url}`)).to.deep.equal(['POST /up', 'GET /after']);
    expect(t.got.text).to.contain('node:http POST /up abc');
    expect(t.ctx.conns.size, 'no longer swept by this engine').to.equal(0);
    expect(await metricValue(t.ctx.metrics, 'ficus_proxy_engine_handoffs_total', { reason: 'body' })).to.equal(1);
  });

  it('hands a write of an ownership unit to node:http (its write gate), and serves the unit\'s reads itself', async () => {
    const t = track(await setup({
      ownsWrites: true,
      routes: [{ id: 'orders', method: '*', path: '/orders/*', service: 'svc', flag: 'f-orders', unit: 'shop' }],
    }));
    t.client.write('GET /orders/1 HTTP/1.1\r\nHost: x\r\n\r\nPUT /orders/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    await t.got.until(() => t.got.text.includes('node:http PUT /orders/1 {}'));
    expect(t.handed.map((h) => `${h.method} ${h.url}`)).to.deep.equal(['GET /orders/1']);
    expect(await metricValue(t.ctx.metrics, 'ficus_proxy_engine_handoffs_total', { reason: 'owned-write' })).to.equal(1);
  });

  it('answers 408 PROXY_REQUEST_TIMEOUT to a head that does not complete within the headers timeout, and not before', async () => {
    const t = track(await setup());
    t.client.write('GET /slow HTTP/1.1\r\nHost');
    await waitFor(() => t.conn.headSince > 0, { intervalMs: 5, what: 'partial head read' });
    t.conn.check(t.conn.headSince + headersTimeoutMs - 1);
    expect(t.conn.socket.destroyed || t.conn.socket.writableEnded).to.equal(false);
    t.conn.check(t.conn.headSince + headersTimeoutMs + 1);
    await t.got.until(() => t.got.closed);
    expect(t.got.text).to.match(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(t.got.text.slice(t.got.text.indexOf('\r\n\r\n') + 4)).error.code).to.equal('PROXY_REQUEST_TIMEOUT');
    expect(t.handed).to.have.length(0);
    expect(await metricValue(t.ctx.metrics, 'ficus_proxy_rejected_requests_total', { reason: 'ERR_HTTP_REQUEST_TIMEOUT' })).to.equal(1);
  });

  it('closes a keep-alive connection idle past the keep-alive timeout, but never one with a request in flight', async () => {
    const t = track(await setup({ auto: false }));
    t.client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => t.handed.length === 1, { intervalMs: 5, what: 'request handed over' });
    const later = performance.now() + keepAliveTimeoutMs + headersTimeoutMs;
    t.conn.check(later);
    expect(t.conn.socket.destroyed, 'in flight').to.equal(false);
    t.handed[0]!.answer();
    t.conn.check(t.conn.lastActive + keepAliveTimeoutMs - 1);
    expect(t.conn.socket.destroyed, 'idle, not yet too long').to.equal(false);
    t.conn.check(t.conn.lastActive + keepAliveTimeoutMs + 1);
    await t.got.until(() => t.got.closed);
    expect(responses(t.got.text)).to.deep.equal(['GET /a ']);
  });

  it('tells the exchange in flight when the client resets the connection, and leaves the engine\'s connection list', async () => {
    const t = track(await setup({ auto: false }));
    t.client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => t.handed.length === 1, { intervalMs: 5, what: 'request handed over' });
    expect(t.ctx.conns.size).to.equal(1);
    t.client.resetAndDestroy(); // a FIN alone is a half-close: the answer is still owed
    await waitFor(() => t.handed[0]!.left, { intervalMs: 5, what: 'clientLeft' });
    expect(t.ctx.conns.size).to.equal(0);
  });

  it('pauses a client that pipelines more than 64 KiB behind a request in flight, and serves the rest in order once it is answered', async () => {
    const t = track(await setup({ auto: false }));
    const pad = 'p'.repeat(8_000);
    const requests = Array.from({ length: 12 }, (_, i) => `GET /r${i} HTTP/1.1\r\nHost: x\r\nX-Pad: ${pad}\r\n\r\n`);
    t.client.write(requests.join(''));
    await waitFor(() => t.conn.socket.isPaused(), { intervalMs: 5, what: 'client paused' });
    expect(t.handed).to.have.length(1);
    expect(t.conn.pending!.length).to.be.greaterThan(64 * 1024);
    t.mode.auto = true;
    t.handed[0]!.answer();
    await t.got.until(() => responses(t.got.text).length === 12);
    expect(t.handed.map((h) => h.url)).to.deep.equal(requests.map((_, i) => `/r${i}`));
    expect(t.conn.socket.isPaused()).to.equal(false);
  });
});
