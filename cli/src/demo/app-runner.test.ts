import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { startApp, stopApps, superviseApp, type AppSpec } from './app-runner.ts';

describe('demo app supervision', function () {
  this.timeout(30_000);
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'ficus-supervise-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts an app that died again, with a growing backoff, logs each exit, and stops when released', async () => {
    // Dies 100 ms after it says it is ready, every time.
    writeFileSync(join(dir, 'flaky.mjs'), "console.log('flaky ready'); setTimeout(() => process.exit(3), 100);\n");
    const spec: AppSpec = { name: 'flaky', entry: join(dir, 'flaky.mjs'), readyLine: /flaky ready/ };
    const said: string[] = [];
    const quiet = { ...process.env };
    const first = startApp(spec, 0, dir, quiet);
    const s = superviseApp(first, () => startApp(spec, 0, dir, quiet), { say: (m) => said.push(m), baseDelayMs: 50, maxDelayMs: 400 });
    await waitFor(() => s.restarts() >= 3, { timeoutMs: 10_000, what: 'three restarts' });
    s.release();
    await stopApps([s.current()]);
    const delays = said.filter((m) => m.includes('starting it again')).map((m) => /in (\d+ ms|[\d.]+ s)/.exec(m)![1]);
    expect(delays.slice(0, 3)).to.deep.equal(['50 ms', '100 ms', '200 ms']);
    expect(said.some((m) => m.includes('flaky exited (3)'))).to.equal(true);
    const count = s.restarts();
    await new Promise((r) => setTimeout(r, 600));
    expect(s.restarts(), 'no restart after release').to.equal(count);
  });
});
