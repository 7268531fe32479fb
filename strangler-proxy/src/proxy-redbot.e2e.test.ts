// HTTP conformance checked by a tool the project did not write: REDbot ("lint for HTTP", from PyPI)
// checks go-httpbin's answers directly and through the proxy (each engine). REDbot sends its own
// follow-up requests (conditional, range, compression negotiation) and notes every protocol
// problem it finds; through the proxy it must note exactly what it notes directly.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { ensureRedbot } from '@ficus/stack';
import { startGoHttpbin } from './testing/go-httpbin.ts';
import { describeEachEngine, startTestProxy } from './testing/test-proxy.ts';

const run = promisify(execFile);
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
  let httpbin: Awaited<ReturnType<typeof startGoHttpbin>> | undefined;
  let origin = '';
  let redbot = '';
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;

  before(async function () {
    this.timeout(600_000); // the first run on a machine installs REDbot and builds go-httpbin
    redbot = await ensureRedbot();
    httpbin = await startGoHttpbin();
    origin = httpbin.origin;
    proxy = await startTestProxy({ targets: { legacy: origin }, routes: [] });
  });
  after(async () => {
    await proxy?.close();
    httpbin?.stop();
  });

  it(`finds no difference on ${paths.length} resources (caching, validators, ranges, compression, redirects, errors)`, async () => {
    const differences: string[] = [];
    let notes = 0;
    for (const path of paths) {
      // Some notes follow the clock, not the headers: REDbot says "already been cached for 1 second"
      // when the Date's second and the arrival's second differ (int(arrival) - Date), which a
      // request that straddles a second boundary shows, direct or proxied. A difference counts only
      // when it comes back on every one of three tries; a header the proxy adds or drops always does.
      let difference = '';
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [direct, proxied] = await Promise.all([notesOf(redbot, `${origin}${path}`), notesOf(redbot, `${proxy.url}${path}`)]);
        if (attempt === 1) notes += direct.length - 1;
        difference = JSON.stringify(direct) === JSON.stringify(proxied) ? '' : `${path}\n  direct:  ${direct.join(' | ')}\n  proxied: ${proxied.join(' | ')}`;
        if (!difference) break;
      }
      if (difference) differences.push(difference);
    }
    expect(differences, differences.join('\n')).to.deep.equal([]);
    expect(notes, 'REDbot said something about the resources').to.be.greaterThan(paths.length);
  });
});
