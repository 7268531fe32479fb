import { expect } from 'chai';
import type { IncomingHttpHeaders } from 'node:http';
import { startRawBackend } from '../testing/raw-backend.ts';
import type { CopyRequest } from '../shadow/copy-transport.ts';
import { copyRequestBytes, socketCopyTransport } from './copy-client.ts';
import { createSocketPools, type SocketPools } from './upstream-sockets.ts';

const get = (over: Partial<CopyRequest> = {}): CopyRequest => ({ method: 'GET', path: '/p?q=1', headers: ['Host', 'shop.test', 'x-ficus-shadow', '1'], body: null, timeoutMs: 2_000, ...over });

/** What a copy delivered: status, head and the body bytes as one string. */
const collect = () => {
  const got = { status: 0, headers: {} as IncomingHttpHeaders, body: '' };
  return { got, sink: { head: (s: number, h: IncomingHttpHeaders) => { got.status = s; got.headers = h; }, data: (c: Buffer) => { got.body += c.toString('latin1'); } } };
};

describe('shadow copies over the socket engine\'s own sockets (copy-client)', function () {
  this.timeout(10_000);
  let pools: SocketPools;
  const closers: Array<() => Promise<void>> = [];
  beforeEach(() => { pools = createSocketPools({ max: 4, idleMs: 4_000, connectTimeoutMs: 1_000 }); });
  afterEach(async () => {
    pools.close();
    for (const c of closers.splice(0)) await c();
  });
  const backend = async (answer: Parameters<typeof startRawBackend>[0]) => {
    const b = await startRawBackend(answer);
    closers.push(b.close);
    return b;
  };

  it('writes one request with its own framing: the body sets Content-Length, a client\'s length and Transfer-Encoding are dropped', () => {
    const bytes = copyRequestBytes(get({ method: 'POST', headers: ['Host', 'shop.test', 'Content-Length', '99', 'Transfer-Encoding', 'chunked', 'X-A', 'b'], body: Buffer.from('{"a":1}') }));
    expect((bytes as Buffer).toString('latin1')).to.equal('POST /p?q=1 HTTP/1.1\r\nHost: shop.test\r\nX-A: b\r\ncontent-length: 7\r\n\r\n{"a":1}');
    expect((copyRequestBytes(get()) as Buffer).toString('latin1')).to.equal('GET /p?q=1 HTTP/1.1\r\nHost: shop.test\r\nx-ficus-shadow: 1\r\n\r\n');
    expect((copyRequestBytes(get({ method: 'POST' })) as Buffer).toString('latin1')).to.contain('content-length: 0\r\n');
  });

  it('refuses to write a header value with CR or LF, a bad method or a non-origin target (COPY_BAD_REQUEST)', async () => {
    for (const r of [get({ headers: ['Host', 'a\r\nX-Evil: 1'] }), get({ method: 'GE T' }), get({ path: 'http://x/' }), get({ path: '/a b' })]) {
      expect((copyRequestBytes(r) as Error & { code: string }).code).to.equal('COPY_BAD_REQUEST');
    }
    let wrote = 0;
    const b = await backend(() => { wrote++; });
    const { sink } = collect();
    const e = await socketCopyTransport(pools)(b.origin, get({ headers: ['Host', 'a\nb'] }), sink).catch((x: Error & { code: string }) => x);
    expect((e as Error & { code: string }).code).to.equal('COPY_BAD_REQUEST');
    expect([wrote, b.connections()]).to.deep.equal([0, 0]);
  });

  it('reads Content-Length, chunked (in pieces), 1xx-then-final and HEAD answers, reusing one kept-alive connection', async () => {
    const b = await backend((s, head, n) => {
      if (n === 1) s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"n":123}');
      if (n === 2) {
        s.write('HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Rep: a\r\nX-Rep: b\r\n\r\n4\r\nab');
        setTimeout(() => s.write('cd\r\n3\r\nefg\r\n0\r\n\r\n'), 20);
      }
      if (n === 3) s.write('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      if (n === 4) { expect(head).to.match(/^HEAD /); s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'); }
    });
    const send = socketCopyTransport(pools);
    const answers = [];
    for (const method of ['GET', 'GET', 'GET', 'HEAD']) {
      const { got, sink } = collect();
      answers.push({ status: await send(b.origin, get({ method }), sink), got });
    }
    expect(answers.map((a) => [a.status, a.got.body])).to.deep.equal([[200, '{"n":123}'], [201, 'abcdefg'], [200, 'ok'], [200, '']]);
    expect(answers[0]!.got.headers['content-type']).to.equal('application/json');
    expect(answers[1]!.got.headers['x-rep']).to.deep.equal(['a', 'b']);
    expect(b.connections()).to.equal(1);
  });

  it('reads a body that ends when the backend closes, and does not reuse that connection', async () => {
    const b = await backend((s) => { s.end('HTTP/1.1 200 OK\r\n\r\nuntil the end'); });
    const send = socketCopyTransport(pools);
    for (let i = 0; i < 2; i++) {
      const { got, sink } = collect();
      expect(await send(b.origin, get(), sink)).to.equal(200);
      expect(got.body).to.equal('until the end');
    }
    expect(b.connections()).to.equal(2);
  });

  it('sends again on a fresh connection when a kept-alive one was closed by the backend meanwhile', async () => {
    const b = await backend((s, _head, n) => {
      if (n === 1) s.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
      if (n === 2) s.destroy(); // the first connection's second request: as if it had timed out idle
    });
    const send = socketCopyTransport(pools);
    await send(b.origin, get(), collect().sink);
    const { got, sink } = collect();
    expect(await send(b.origin, get(), sink)).to.equal(200);
    expect(got.body).to.equal('a');
    expect(b.connections()).to.equal(2);
  });

  it('fails with a code, never hangs: a silent backend (COPY_TIMEOUT), a malformed head (COPY_BAD_RESPONSE), a broken chunked body, nobody listening', async () => {
    const silent = await backend(() => undefined);
    const bad = await backend((s) => { s.write('HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n'); });
    const broken = await backend((s) => { s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'); });
    const gone = await backend(() => undefined);
    await gone.close();
    const send = socketCopyTransport(pools);
    const code = (origin: string, timeoutMs = 2_000) => send(origin, get({ timeoutMs }), collect().sink).then(() => 'answered', (e: Error & { code: string }) => e.code);
    expect(await code(silent.origin, 150)).to.equal('COPY_TIMEOUT');
    expect(await code(bad.origin)).to.equal('COPY_BAD_RESPONSE');
    expect(await code(broken.origin)).to.equal('COPY_BAD_RESPONSE');
    expect(await code(gone.origin)).to.equal('UPSTREAM_CONNECT_FAILED');
  });
});
