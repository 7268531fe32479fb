import { expect } from 'chai';
import { clientResponseHeaders, connectionTokens, upstreamHeaders } from './hop-by-hop.ts';

const asMap = (flat: Array<string | string[]>) => {
  const m = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) m.set(String(flat[i]).toLowerCase(), String(flat[i + 1]));
  return m;
};

describe('hop-by-hop headers', () => {
  it('Connection names extra hop-by-hop headers, never Host, Content-Length or what the proxy sets', () => {
    expect([...connectionTokens('close, Host, Content-Length, X-Forwarded-For, x-request-id, X-Ficus-User, X-Hop, keep-alive')!]).to.deep.equal(['x-hop']);
    expect(connectionTokens('close, Host')).to.equal(undefined);
  });

  it('a client cannot strip Host or the body length by naming them in Connection', () => {
    const out = asMap(upstreamHeaders(
      ['Host', 'shop.example', 'Connection', 'close, Host, Content-Length, X-Hop', 'X-Hop', '1', 'Content-Length', '5', 'Upgrade', 'h2c', 'HTTP2-Settings', 'AAMA'],
      { requestId: 'rid', clientAddress: '10.0.0.1', trustForwarded: false },
    ));
    expect(out.get('host')).to.equal('shop.example');
    expect(out.get('content-length')).to.equal('5');
    for (const h of ['x-hop', 'connection', 'upgrade', 'http2-settings']) expect(out.has(h), h).to.equal(false);
    expect([out.get('x-forwarded-for'), out.get('x-forwarded-host'), out.get('x-request-id')]).to.deep.equal(['10.0.0.1', 'shop.example', 'rid']);
  });

  it('drops a response header the backend named in Connection, keeps the rest', () => {
    const out = asMap(clientResponseHeaders({ connection: 'x-internal', 'x-internal': 'a', 'content-type': 'text/plain', 'keep-alive': 'timeout=5' }));
    expect([...out.keys()]).to.deep.equal(['content-type']);
  });
});
