import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPromqlClient, singleValue } from './promql-client.ts';

/** A fake PromQL server: answers with what the test says and records the form it got. */
const fakeServer = async (answer: (form: URLSearchParams, res: ServerResponse) => void) => {
  const seen: URLSearchParams[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push(form);
      if (req.url !== '/api/v1/query' || req.method !== 'POST') { res.writeHead(404).end('not found'); return; }
      answer(form, res);
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
};

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const failureOf = async (p: Promise<unknown>): Promise<{ code: string; message: string; retriable: boolean }> => {
  try { await p; } catch (e) { return e as { code: string; message: string; retriable: boolean }; }
  throw new Error('expected a failure');
};

describe('PromQL client', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of closers.splice(0)) await c(); });
  const serve = async (answer: Parameters<typeof fakeServer>[0]) => {
    const s = await fakeServer(answer);
    closers.push(s.close);
    return s;
  };

  it('returns an instant vector typed, NaN and infinities included, and sends the time asked for', async () => {
    const s = await serve((_f, res) => json(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [
        { metric: { job: 'strangler-proxy', instance: 'p1' }, value: [1700000000.5, '0.25'] },
        { metric: { instance: 'p2' }, value: [1700000000.5, 'NaN'] },
        { metric: { instance: 'p3' }, value: [1700000000.5, '+Inf'] },
      ] },
    }));
    const r = await createPromqlClient({ url: `${s.url}/` }).query('rate(x[10s])', { time: new Date(1_700_000_000_500) });
    expect(s.seen[0]!.get('query')).to.equal('rate(x[10s])');
    expect(s.seen[0]!.get('time')).to.equal('1700000000.5');
    expect(r.resultType).to.equal('vector');
    if (r.resultType !== 'vector') return;
    expect(r.samples.map((x) => x.value)).to.deep.equal([0.25, NaN, Infinity]);
    expect(r.samples[0]).to.deep.equal({ metric: { job: 'strangler-proxy', instance: 'p1' }, time: 1700000000.5, value: 0.25 });
  });

  it('returns a scalar, and singleValue reads a scalar, one series or none', async () => {
    const s = await serve((_f, res) => json(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '42'] } }));
    const r = await createPromqlClient({ url: s.url }).query('scalar(1)');
    expect(r).to.deep.equal({ resultType: 'scalar', time: 1700000000, value: 42 });
    expect(singleValue(r)).to.equal(42);
    expect(singleValue({ resultType: 'vector', samples: [] })).to.equal(undefined);
    expect(singleValue({ resultType: 'vector', samples: [{ metric: {}, time: 1, value: 3 }] })).to.equal(3);
    const two = { metric: {}, time: 1, value: 3 };
    expect(() => singleValue({ resultType: 'vector', samples: [two, two] })).to.throw(/at most one series/).with.property('code', 'PROMQL_QUERY_INVALID');
  });

  it('passes the server\'s refusal of an expression on as PROMQL_QUERY_INVALID, with its message', async () => {
    const s = await serve((_f, res) => json(res, 422, { status: 'error', errorType: '422', error: 'cannot parse "rate(": unexpected end' }));
    const e = await failureOf(createPromqlClient({ url: s.url }).query('rate('));
    expect(e.code).to.equal('PROMQL_QUERY_INVALID');
    expect(e.message).to.contain('cannot parse').and.contain('rate(');
    expect(e.retriable).to.equal(false);
  });

  it('refuses an empty expression, a bad time and a range vector without a useless answer', async () => {
    const s = await serve((_f, res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } }));
    const client = createPromqlClient({ url: s.url });
    expect((await failureOf(client.query('  '))).code).to.equal('PROMQL_QUERY_INVALID');
    expect((await failureOf(client.query('up', { time: Number.NaN }))).code).to.equal('PROMQL_QUERY_INVALID');
    expect(s.seen).to.have.length(0);
    const e = await failureOf(client.query('x[5m]'));
    expect(e.code).to.equal('PROMQL_QUERY_INVALID');
    expect(e.message).to.contain('range vector');
  });

  it('says PROMQL_UNAVAILABLE (retriable) for a 5xx, a refused connection and a timeout', async () => {
    const down = await serve((_f, res) => json(res, 503, { status: 'error', error: 'storage is starting' }));
    const e1 = await failureOf(createPromqlClient({ url: down.url }).query('up'));
    expect([e1.code, e1.retriable]).to.deep.equal(['PROMQL_UNAVAILABLE', true]);
    expect(e1.message).to.contain('503').and.contain('storage is starting');

    const gone = await fakeServer(() => undefined);
    await gone.close();
    const e2 = await failureOf(createPromqlClient({ url: gone.url }).query('up'));
    expect([e2.code, e2.retriable]).to.deep.equal(['PROMQL_UNAVAILABLE', true]);
    expect(e2.message).to.contain(gone.url);

    const slow = await serve(() => undefined);
    const t0 = Date.now();
    const e3 = await failureOf(createPromqlClient({ url: slow.url, timeoutMs: 200 }).query('up'));
    expect([e3.code, e3.message]).to.deep.equal(['PROMQL_UNAVAILABLE', `PromQL server ${slow.url} unreachable: no answer within 200 ms`]);
    expect(Date.now() - t0).to.be.below(2_000);
  });

  it('says PROMQL_RESPONSE_INVALID for an answer that is not the query API', async () => {
    const answers: Array<(res: ServerResponse) => void> = [
      (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'),
      (res) => json(res, 200, { status: 'success', data: { resultType: 'string', result: [1, 'x'] } }),
      (res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'abc'] }] } }),
      (res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: 'x' }] } }),
    ];
    let i = 0;
    const s = await serve((_f, res) => answers[i++]!(res));
    for (const _ of answers) expect((await failureOf(createPromqlClient({ url: s.url }).query('up'))).code).to.equal('PROMQL_RESPONSE_INVALID');
  });
});
