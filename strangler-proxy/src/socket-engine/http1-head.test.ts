import { expect } from 'chai';
import { upstreamHeaders } from '../engine-shared/hop-by-hop.ts';
import { forwardedLines, headEnd, parseRequestHead, parseResponseHead, type RequestHead, type ResponseHead } from './http1-head.ts';

const request = (text: string) => {
  const buf = Buffer.from(text, 'latin1');
  return parseRequestHead(buf, buf.indexOf(headEnd));
};
const response = (text: string) => {
  const buf = Buffer.from(text, 'latin1');
  return parseResponseHead(buf, buf.indexOf(headEnd), true);
};

describe('socket engine: HTTP/1.1 heads', () => {
  it('reads a plain request: method, target, raw headers in order and case, lower-cased view, close', () => {
    const h = request('GET /a/b?c=1 HTTP/1.1\r\nHost: shop.test\r\nCookie: a=1\r\nX-Thing:  v  \r\ncookie: b=2\r\nConnection: keep-alive, close\r\n\r\n') as RequestHead;
    expect(h.method).to.equal('GET');
    expect(h.url).to.equal('/a/b?c=1');
    expect(h.raw()).to.deep.equal(['Host', 'shop.test', 'Cookie', 'a=1', 'X-Thing', 'v', 'cookie', 'b=2', 'Connection', 'keep-alive, close']);
    expect([h.header('host'), h.header('cookie'), h.header('x-thing'), h.header('x-missing')]).to.deep.equal(['shop.test', 'a=1; b=2', 'v', undefined]);
    expect(h.close).to.equal(true);
    expect(h.connectionNamesHeaders).to.equal(false);
    expect((request('GET / HTTP/1.1\r\nHost: a\r\nConnection: X-Hop\r\nUpgrade-Insecure-Requests: 1\r\n\r\n') as RequestHead).connectionNamesHeaders).to.equal(true);
    expect((request('DELETE /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n') as RequestHead).close).to.equal(false);
    // Host, Content-Length and the proxy's own headers are never connection-scoped: the fast path keeps them.
    const namesHost = request('GET / HTTP/1.1\r\nHost: a\r\nConnection: close, Host, Content-Length, X-Forwarded-For\r\n\r\n') as RequestHead;
    expect([namesHost.close, namesHost.connectionNamesHeaders]).to.deep.equal([true, false]);
    // Any upper-case token method is read (extension methods are forwarded like any other).
    // Every method Node's parser knows is read (extension methods are forwarded like any other); other tokens go to node:http (400).
    for (const m of ['PROPFIND', 'QUERY', 'M-SEARCH', 'MKCALENDAR']) expect((request(`${m} /x HTTP/1.1\r\nHost: a\r\n\r\n`) as RequestHead).method).to.equal(m);
    expect(request('FROB /x HTTP/1.1\r\nHost: a\r\n\r\n')).to.equal('method');
    expect((request('POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n') as RequestHead).contentLength, 'a plain length: the caller reads the body').to.equal(5);
  });

  it('forwards the same header lines as upstreamHeaders, without splitting them', () => {
    const heads = [
      'GET /a HTTP/1.1\r\nHost: shop.test\r\nAccept: */*\r\nCookie: a=1\r\nCookie: b=2',
      'GET /a HTTP/1.1\r\nhost: shop.test:8080\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTEapot: 1\r\nProxy-Authorization: x\r\nTrailer: y',
      'GET /a HTTP/1.1\r\nX-Forwarded-For: 6.6.6.6\r\nHost: h\r\nx-forwarded-proto: https\r\nX-Forwarded-Port: 1\r\nX-Request-Id: forged\r\nX-FICUS-USER: forged\r\nX-Forwardedness: kept',
      'PUT /a HTTP/1.1\r\nHost: h\r\nConnection: close, Host, content-length, X-Request-Id\r\nContent-Length: 0',
      'GET /a HTTP/1.1\r\nHost: h\r\nTraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\ntracestate: v=1\r\nX-Traceparentish: kept',
    ];
    // with tracing, the proxy's traceparent replaces the client's (tracestate passes)
    for (const traceparent of [undefined, '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']) {
      for (const text of heads) {
        const h = request(`${text}\r\n\r\n`) as RequestHead;
        const flat = upstreamHeaders(h.raw(), { requestId: 'rid-1', clientAddress: '127.0.0.1', trustForwarded: false, traceparent });
        let expected = '';
        for (let i = 0; i < flat.length; i += 2) expected += `\r\n${flat[i]}: ${flat[i + 1]}`;
        expect(forwardedLines(h, 'rid-1', '127.0.0.1', traceparent), text).to.equal(expected);
        expect((expected.match(/traceparent:/gi) ?? []).length, text).to.equal(traceparent || text.includes('Traceparent') ? 1 : 0);
      }
    }
  });

  // Everything outside the strict subset goes to node:http (llhttp), with the reason counted.
  const handedOff: Array<[string, string, string]> = [
    ['a Content-Length that is not a plain number', 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5x\r\n\r\n', 'body'],
    ['a signed Content-Length', 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n', 'body'],
    ['a second, non-zero Content-Length', 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\ncontent-length: 7\r\n\r\n', 'body'],
    ['chunked', 'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n', 'body'],
    ['Expect', 'PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n', 'body'],
    ['an upgrade', 'GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', 'upgrade'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: a\r\n\r\n', 'version'],
    ['a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n', 'version'],
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: a\r\n\r\n', 'method'],
    ['TRACK', 'TRACK / HTTP/1.1\r\nHost: a\r\n\r\n', 'method'],
    ['an h2c upgrade offer', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMA\r\n\r\n', 'upgrade'],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 'host'],
    ['CONNECT', 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n', 'method'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 'version'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n', 'header'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 'header'],
    ['a control character in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\x01\r\n\r\n', 'header'],
    ['a bare CR inside a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX-B: 2\r\n\r\n', 'header'],
    ['a bare LF inside a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\nX-B: 2\r\n\r\n', 'header'],
    ['a line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nnonsense\r\n\r\n', 'header'],
    ['no Host', 'GET / HTTP/1.1\r\nX-A: 1\r\n\r\n', 'host'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 'host'],
    ['an empty Host', 'GET / HTTP/1.1\r\nHost: \r\n\r\n', 'host'],
  ];
  for (const [what, text, reason] of handedOff) {
    it(`hands off ${what} (${reason})`, () => expect(request(text)).to.equal(reason));
  }

  it('reads a response: status, reason, repeated headers as arrays, framing and close', () => {
    const r = response('HTTP/1.1 418 I Am A Teapot\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 3\r\nX-A: v\r\n\r\n') as ResponseHead;
    expect(r).to.deep.include({ status: 418, reason: 'I Am A Teapot', contentLength: 3, chunked: false, close: false });
    expect(r.headers).to.deep.equal({ 'set-cookie': ['a=1', 'b=2'], 'content-length': '3', 'x-a': 'v' });
    expect(r.endToEnd).to.equal('Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 3\r\nX-A: v\r\n');
    const hop = response('HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nKeep-Alive: timeout=5\r\nX-Internal: secret\r\nX-Kept: 1\r\nTransfer-Encoding: chunked\r\n\r\n') as ResponseHead;
    expect(hop.endToEnd, 'hop-by-hop and Connection-named headers dropped').to.equal('X-Kept: 1\r\n');
    const prefixes = response('HTTP/1.1 200 OK\r\nTE: x\r\nTEapot: 1\r\nPROXY-CONNECTION: k\r\nX-Connection: kept\r\nContent-Length: 0\r\n\r\n') as ResponseHead;
    expect(prefixes.endToEnd, 'names matched whole and in any case').to.equal('TEapot: 1\r\nX-Connection: kept\r\nContent-Length: 0\r\n');
    const plain = Buffer.from('HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\n');
    expect(parseResponseHead(plain, plain.indexOf(headEnd), false), 'no header object unless asked').to.deep.include({ headers: undefined, endToEnd: 'X-A: 1\r\n' });
    expect(response('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n')).to.deep.include({ chunked: true, close: true, contentLength: -1 });
    expect(response('HTTP/1.0 200 OK\r\n\r\n')).to.deep.include({ close: true });
    expect(response('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n')).to.deep.include({ close: false });
    expect(response('HTTP/1.1 204\r\n\r\n')).to.deep.include({ status: 204, reason: '' });
  });

  const refused: Array<[string, string]> = [
    ['a bad status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a status out of range', 'HTTP/1.1 99 Low\r\n\r\n'],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['Content-Length with chunked', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['an unknown transfer coding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'],
    ['a bare LF that would split the response', 'HTTP/1.1 200 OK\r\nX-A: 1\nSet-Cookie: evil=1\r\n\r\n'],
    ['a bare CR in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\rSet-Cookie: evil=1\r\n\r\n'],
    ['a bare LF in the reason phrase', 'HTTP/1.1 200 OK\nSet-Cookie: evil=1\r\n\r\n'],
    ['an invalid header name', 'HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n'],
  ];
  for (const [what, text] of refused) {
    it(`refuses a backend response with ${what}`, () => expect(response(text)).to.be.a('string'));
  }
});
