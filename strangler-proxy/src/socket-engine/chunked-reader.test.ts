import { expect } from 'chai';
import { ChunkedReader } from './chunked-reader.ts';

/** Feeds `body` to a reader in pieces of `size` bytes; returns the data seen and where the message ended. */
const read = (body: string, size: number) => {
  const r = new ChunkedReader();
  const buf = Buffer.from(body, 'latin1');
  const data: Buffer[] = [];
  let consumed = 0;
  for (let i = 0; i < buf.length && !r.done; i += size) {
    const n = r.feed(buf.subarray(i, i + size), (d) => data.push(Buffer.from(d)));
    if (n < 0) return { error: r.error, data: '', consumed };
    consumed += n;
  }
  return { error: undefined, done: r.done, data: Buffer.concat(data).toString('latin1'), consumed };
};

describe('socket engine: chunked bodies', () => {
  const message = '5\r\nhello\r\n7;name=v\r\n, world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';
  for (const size of [1, 2, 3, 7, 1024]) {
    it(`finds the data and the end in pieces of ${size} byte(s)`, () => {
      expect(read(`${message}GET /next`, size)).to.deep.equal({ error: undefined, done: true, data: 'hello, world0123456789', consumed: message.length });
    });
  }

  it('waits for more when the message is not complete', () => {
    expect(read('5\r\nhel', 64)).to.deep.include({ done: false, data: 'hel' });
  });

  const bad: Array<[string, string]> = [
    ['a non-hex size', 'zz\r\n'],
    ['an empty size', '\r\n'],
    ['a size with too many digits', '1234567890123\r\n'],
    ['data longer than its size', '2\r\nabc\r\n'],
    ['a bare LF after the size', '2\nab\r\n'],
  ];
  for (const [what, body] of bad) {
    it(`stops at ${what}`, () => expect(read(body, 64).error).to.be.a('string'));
  }
});
