// Transparency against a backend nobody on the project wrote: go-httpbin (httpbin.org's API in Go,
// built from the Go module proxy by the stack's installer). Every request goes once directly and
// once through the proxy; the answers must match but for what a proxy adds on purpose
// (X-Forwarded-*, the request id, the client address) and the Date.
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { hopByHop } from './engine-shared/hop-by-hop.ts';
import { rawExchange, rawRequest, type RawResponse } from './testing/http-client.ts';
import { startGoHttpbin } from './testing/go-httpbin.ts';
import { describeEachEngine, startTestProxy } from './testing/test-proxy.ts';

/**
 * What a proxy adds or takes off on purpose, left out of the echoed request headers: X-Forwarded-*
 * and the request id (added), and the hop-by-hop headers, which describe one connection only.
 */
const added = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', ...hopByHop]);
const perConnection = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** A response as comparable data: status, end-to-end headers, and the body (httpbin's JSON echo normalised). */
const comparable = (r: RawResponse) => {
  const headers: string[] = [];
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i]!.toLowerCase();
    if (!perConnection.has(name)) headers.push(`${name}: ${r.rawHeaders[i + 1]}`);
  }
  let body: unknown = r.body.toString('latin1');
  const raw = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
  if (String(r.headers['content-type'] ?? '').includes('json') && raw.length > 0) {
    const json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    delete json.origin;
    if (json.headers && typeof json.headers === 'object') {
      for (const k of Object.keys(json.headers)) if (added.has(k.toLowerCase())) delete (json.headers as Record<string, unknown>)[k];
    }
    body = json;
  }
  return { status: r.status, headers: headers.sort(), body };
};

const cases: Array<{ name: string; method?: string; path: string; headers?: Array<[string, string]>; body?: Buffer | string }> = [
  { name: 'a GET with a repeated query parameter and custom headers', path: '/get?a=1&b=%C3%A9&a=2', headers: [['X-Custom', 'one'], ['X-Custom', 'two'], ['Accept', 'application/json'], ['Cookie', 'sid=abc; theme=dark']] },
  { name: 'a JSON POST', method: 'POST', path: '/post', headers: [['Content-Type', 'application/json']], body: '{"a":[1,2,{"b":"é"}]}' },
  { name: 'a form POST', method: 'POST', path: '/post', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: 'a=1&b=two+words&a=3' },
  { name: 'a PUT of every byte value', method: 'PUT', path: '/put', headers: [['Content-Type', 'application/octet-stream']], body: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
  { name: 'an empty PATCH', method: 'PATCH', path: '/patch', body: '' },
  { name: 'a DELETE', method: 'DELETE', path: '/delete?x=1' },
  { name: 'a WebDAV PROPFIND', method: 'PROPFIND', path: '/anything/dav', headers: [['Depth', '1'], ['Content-Type', 'application/xml']], body: '<propfind xmlns="DAV:"/>' },
  { name: 'OPTIONS', method: 'OPTIONS', path: '/get' },
  { name: 'HEAD', method: 'HEAD', path: '/get' },
  { name: '418', path: '/status/418' },
  { name: '204', path: '/status/204' },
  { name: 'a 307 redirect (not followed)', path: '/redirect-to?url=%2Fget&status_code=307' },
  { name: 'Set-Cookie on a redirect', path: '/cookies/set?k=v&k2=v2' },
  { name: 'repeated response headers', path: '/response-headers?X-Multi=1&X-Multi=2' },
  { name: 'a gzip body', path: '/gzip', headers: [['Accept-Encoding', 'gzip']] },
  { name: 'deterministic random bytes', path: '/bytes/2048?seed=7' },
  { name: 'a chunked stream', path: '/stream-bytes/4096?seed=3&chunk_size=100' },
  { name: 'a range (206)', path: '/range/64', headers: [['Range', 'bytes=10-19']] },
  { name: 'a conditional GET (304)', path: '/etag/abc', headers: [['If-None-Match', '"abc"']] },
  { name: 'an h2c upgrade offer (curl --http2)', path: '/get', headers: [['Connection', 'Upgrade, HTTP2-Settings'], ['Upgrade', 'h2c'], ['HTTP2-Settings', 'AAMAAABkAAQCAAAAAAIAAAAA']] },
  { name: 'Connection naming Host', path: '/anything/c', headers: [['Connection', 'close, Host']] },
  { name: 'a UTF-8 page', path: '/encoding/utf8' },
];

describeEachEngine('strangler proxy transparency against go-httpbin (an echo application nobody on the project wrote)', function () {
  this.timeout(120_000);
  let httpbin: Awaited<ReturnType<typeof startGoHttpbin>> | undefined;
  let origin = '';
  let port = 0;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;

  before(async function () {
    this.timeout(600_000); // the first run on a machine builds go-httpbin
    httpbin = await startGoHttpbin();
    origin = httpbin.origin;
    port = httpbin.port;
    proxy = await startTestProxy({ targets: { legacy: origin }, routes: [] });
  });
  after(async () => {
    await proxy?.close();
    httpbin?.stop();
  });

  for (const c of cases) {
    it(`answers as go-httpbin does directly: ${c.name}`, async () => {
      // A body goes with its length, as curl sends it (a chunked upload is re-framed by the node-http engine: framing is per hop).
      const length: Array<[string, string]> = c.body === undefined ? [] : [['Content-Length', String(Buffer.byteLength(c.body))]];
      const send = (base: string) => rawRequest(`${base}${c.path}`, { method: c.method ?? 'GET', headers: [['Host', 'shop.example'], ...(c.headers ?? []), ...length], ...(c.body === undefined ? {} : { body: c.body }) });
      const direct = comparable(await send(origin));
      const proxied = comparable(await send(proxy.url));
      expect(proxied).to.deep.equal(direct);
    });
  }

  it('refuses two Host headers with a 400, as go-httpbin (the net/http of Go) does', async () => {
    const bytes = 'GET /get HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n';
    expect((await rawExchange(port, bytes, 1_000)).slice(0, 12), 'go-httpbin').to.equal('HTTP/1.1 400');
    expect((await rawExchange(proxy.port, bytes, 1_000)).slice(0, 12), 'proxy').to.equal('HTTP/1.1 400');
  });
});
