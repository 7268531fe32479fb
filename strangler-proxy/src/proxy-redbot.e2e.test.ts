// HTTP conformance checked by a tool the project did not write: REDbot ("lint for HTTP", from PyPI)
// checks go-httpbin's answers directly and through the proxy (each engine). REDbot sends its own
// follow-up requests (conditional, range, compression negotiation) and notes every protocol
// problem it finds; through the proxy it must note exactly what it notes directly.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { ensureGoHttpbin, ensureRedbot } from '@ficus/stack';
import { describeEachEngine, startTestProxy } from './testing/test-proxy.ts';

const run = promisify(execFile);
const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
});

/** REDbot's verdict on a URL: the status line and its notes (the headers it echoes carry a Date). */
const notesOf = async (redbot: string, url: string): Promise<string[]> => {
  const { stdout } = await run(redbot, ['-o', 'text', url], { timeout: 60_000, maxBuffer: 8 << 20 });
  const lines = stdout.split('\n');
  // The clock note depends on the second; a compression ratio on bodies that echo the request's headers.
  const notes = lines.filter((l) => /^\s*\* /.test(l) && !/clock/i.test(l)).map((l) => l.replace(/\d+% (larger|smaller)/, 'N% $1'));
  return [lines[0] ?? '', ...notes];
};

const paths = ['/get', '/gzip', '/range/1024', '/cache', '/response-headers?Cache-Control=max-age%3D60&ETag=%22v1%22', '/bytes/512?seed=1', '/status/404', '/redirect-to?url=%2Fget', '/html', '/encoding/utf8'];

describeEachEngine('strangler proxy conformance: REDbot notes the same through the proxy as directly', function () {
  this.timeout(300_000);
  let httpbin: ChildProcess | undefined;
  let origin = '';
  let redbot = '';
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;

  before(async function () {
    this.timeout(600_000); // the first run on a machine installs REDbot and builds go-httpbin
    redbot = await ensureRedbot();
    const bin = await ensureGoHttpbin();
    const port = await freePort();
    httpbin = spawn(bin, ['-host', '127.0.0.1', '-port', String(port), '-log-level', 'OFF'], { stdio: 'ignore' });
    origin = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${origin}/get`).then((r) => r.ok, () => false), { timeoutMs: 15_000, what: 'go-httpbin' });
    proxy = await startTestProxy({ targets: { legacy: origin }, routes: [] });
  });
  after(async () => {
    await proxy?.close();
    httpbin?.kill('SIGTERM');
  });

  it(`finds no difference on ${paths.length} resources (caching, validators, ranges, compression, redirects, errors)`, async () => {
    const differences: string[] = [];
    let notes = 0;
    for (const path of paths) {
      const [direct, proxied] = await Promise.all([notesOf(redbot, `${origin}${path}`), notesOf(redbot, `${proxy.url}${path}`)]);
      notes += direct.length - 1;
      if (JSON.stringify(direct) !== JSON.stringify(proxied)) differences.push(`${path}\n  direct:  ${direct.join(' | ')}\n  proxied: ${proxied.join(' | ')}`);
    }
    expect(differences, differences.join('\n')).to.deep.equal([]);
    expect(notes, 'REDbot said something about the resources').to.be.greaterThan(paths.length);
  });
});
