import { expect } from 'chai';
import { builtInRedaction, compileRedaction, redactBody, redactHeaders, redactJson, redactUrl, redactedMark } from './redact.ts';

describe('redaction', () => {
  const r = compileRedaction(builtInRedaction, { paths: ['$.profile.phone'], headers: ['x-session'], query: ['sig'] });

  const jsonCases: Array<[string, unknown, unknown]> = [
    ['a password at any depth', { user: { name: 'a', password: 'p' } }, { user: { name: 'a', password: redactedMark } }],
    ['tokens in arrays', { sessions: [{ token: 't1' }, { token: 't2' }] }, { sessions: [{ token: redactedMark }, { token: redactedMark }] }],
    ['a configured path', { profile: { phone: '+33 1', city: 'Lyon' } }, { profile: { phone: redactedMark, city: 'Lyon' } }],
    ['an email field and an email inside text', { email: 'a@b.io', note: 'write to x.y@corp.example please' }, { email: redactedMark, note: `write to ${redactedMark} please` }],
    ['a card number inside text', { note: 'card 4111 1111 1111 1111 ok' }, { note: `card ${redactedMark} ok` }],
    ['an object under a redacted name', { cardNumber: { last4: '1111' } }, { cardNumber: redactedMark }],
    ['other values untouched', { id: 7, price: 12.5, tags: ['a'] }, { id: 7, price: 12.5, tags: ['a'] }],
  ];
  for (const [name, input, output] of jsonCases) it(`JSON: ${name}`, () => { expect(redactJson(input, r)).to.deep.equal(output); });

  it('headers: cookies, authorization and configured names', () => {
    expect(redactHeaders(['Cookie', 'sid=1', 'Authorization', 'Bearer x', 'X-Session', 's', 'Accept', 'application/json'], r)).to.deep.equal({
      cookie: redactedMark, authorization: redactedMark, 'x-session': redactedMark, accept: 'application/json',
    });
    expect(redactHeaders({ 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' }, r)).to.deep.equal({ 'set-cookie': redactedMark, 'content-type': 'text/plain' });
  });

  it('query strings', () => {
    expect(redactUrl('/api/x?token=abc&page=2&sig=zz&to=a@b.io', r)).to.equal(`/api/x?token=${encodeURIComponent(redactedMark)}&page=2&sig=${encodeURIComponent(redactedMark)}&to=${redactedMark}`);
    expect(redactUrl('/api/x', r)).to.equal('/api/x');
  });

  it('bodies: JSON by path, forms by field, binary never stored, size capped', () => {
    expect(redactBody(Buffer.from('{"password":"p","a":1}'), 'application/json', r, 1000).json).to.deep.equal({ password: redactedMark, a: 1 });
    expect(redactBody(Buffer.from('user=a&password=secret'), 'application/x-www-form-urlencoded', r, 1000).text).to.equal(`user=a&password=${encodeURIComponent(redactedMark)}`);
    expect(redactBody(Buffer.from([0, 1, 2, 3]), 'application/octet-stream', r, 1000)).to.deep.equal({ text: undefined, json: undefined, truncated: false });
    const big = redactBody(Buffer.from(JSON.stringify({ a: 'x'.repeat(100) })), 'application/json', r, 20);
    expect(big.truncated).to.equal(true);
    expect(big.text).to.have.length(20);
  });
});
