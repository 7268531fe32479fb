import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { bearerKey } from '@ficus/common/scrape-targets';
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

  it('registers an app\'s /metrics as a scrape target while it runs (bearer token apart) and removes it when it exits', async () => {
    const targets = join(dir, 'scrape-targets');
    writeFileSync(join(dir, 'quiet.mjs'), "console.log('quiet ready'); setInterval(() => undefined, 1000);\n");
    const env = { ...process.env, FICUS_SCRAPE_TARGETS_DIR: targets };
    const plain = startApp({ name: 'svc-a', entry: join(dir, 'quiet.mjs'), readyLine: /ready/, metrics: { url: 'http://127.0.0.1:3101/metrics' } }, 0, dir, env);
    const guarded = startApp({ name: 'proxy-b', entry: join(dir, 'quiet.mjs'), readyLine: /ready/, metrics: { url: 'http://127.0.0.1:8081/metrics', job: 'strangler-proxy', bearerToken: 'tok' } }, 1, dir, env);
    expect(readdirSync(targets).filter((f) => f.endsWith('.json'))).to.deep.equal(['svc-a--127.0.0.1_3101.json']);
    const entry = JSON.parse(readFileSync(join(targets, 'svc-a--127.0.0.1_3101.json'), 'utf8')) as Array<{ labels: Record<string, string> }>;
    expect([entry[0]!.labels.job, entry[0]!.labels.instance]).to.deep.equal(['svc-a', '127.0.0.1:3101']);
    const tokenFolder = join(targets, 'bearer', bearerKey('tok'));
    expect(readdirSync(tokenFolder).sort()).to.deep.equal(['scrape.yml', 'strangler-proxy--127.0.0.1_8081.json', 'token']);
    await stopApps([plain, guarded]);
    await waitFor(() => !existsSync(join(targets, 'svc-a--127.0.0.1_3101.json')) && !existsSync(join(tokenFolder, 'strangler-proxy--127.0.0.1_8081.json')), { timeoutMs: 5_000, what: 'both targets gone' });
  });
});
