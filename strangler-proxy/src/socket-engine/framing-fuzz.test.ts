import { expect } from 'chai';
import { compare, fuzzFraming, startNodeParser } from './framing-fuzz.ts';
import { frameRequest } from './request-framing.ts';

describe('socket engine framing vs Node\'s parser (differential fuzzing)', function () {
  this.timeout(120_000);

  it('agrees with llhttp on known cases: a plain request, a smuggling attempt, a bare-LF head', async () => {
    const node = await startNodeParser();
    try {
      const plain = Buffer.from('POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nX-A: 1\r\n\r\nabc');
      const framed = frameRequest(plain, { replayBodyBytes: 1024 });
      expect(framed.kind).to.equal('request');
      expect(compare(framed, await node.read(plain))).to.deep.equal({ agree: true, how: 'same request' });
      const smuggle = Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
      expect(frameRequest(smuggle, { replayBodyBytes: 1024 })).to.deep.equal({ kind: 'handoff', reason: 'body' });
      expect((await node.read(smuggle)).kind).to.equal('refused');
      const bareLf = Buffer.from('GET / HTTP/1.1\nHost: x\n\n');
      expect(compare(frameRequest(bareLf, { replayBodyBytes: 1024 }), await node.read(bareLf)).agree).to.equal(true);
    } finally {
      await node.close();
    }
  });

  it('finds no disagreement in 3,000 generated requests (the long run: strangler-proxy/scripts/fuzz-framing.ts)', async () => {
    const counts = await fuzzFraming({ cases: 3_000 });
    expect(counts['same request'], 'requests both read the same').to.be.greaterThan(100);
    expect(counts['handed off'] + counts['both refused or incomplete'] + counts['same request']).to.equal(3_000);
  });
});
