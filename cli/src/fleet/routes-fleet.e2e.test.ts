// `ficus routes` over a proxy fleet, run as a user runs it: two admin APIs that answer /routes as
// the proxy's does (small HTTP servers of this test, with the bearer check), agreeing, then not,
// then one of them down; and the replicas found from the scrape targets the running ones registered.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { registerScrapeTarget } from '@ficus/common/scrape-targets';
import type { RouteRow, RoutesAnswer } from './route-agreement.ts';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const token = 'routes-fleet-e2e-token-0123456789';

const row = (id: string, o: Partial<RouteRow> = {}): RouteRow => ({
  id, methods: ['GET'], path: `/api/${id}`, header: null, service: 'catalog', flag: `ficus.route.${id}`, flagExists: true, flagEnabled: true,
  mode: 'canary', percent: 10, problem: null, safe: 'legacy', fallbackToLegacy: true, effective: 'canary', unit: null, owner: null, ownerState: null, flagDisagrees: false, ...o,
});

/** An admin API answering /routes with whatever `answer` holds now (401 without the token). */
const adminApi = async () => {
  const state: { answer: RoutesAnswer } = { answer: { flags: { stale: false, stalenessMs: 100, lastSyncAt: new Date().toISOString() }, routes: [row('products')] } };
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) { res.writeHead(401).end(); return; }
    if (req.url !== '/routes') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.answer));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
};

describe('ficus routes across the proxy\'s replicas (the CLI as a user runs it)', function () {
  this.timeout(60_000);
  let a: Awaited<ReturnType<typeof adminApi>>;
  let b: Awaited<ReturnType<typeof adminApi>>;
  let dir = '';
  const ficus = (args: string[], env: NodeJS.ProcessEnv = {}) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', main, 'routes', ...args],
      { timeout: 30_000, env: { ...process.env, FICUS_PROXY_ADMIN_TOKEN: token, FICUS_PROXY_ADMIN_URLS: '', FICUS_SCRAPE_TARGETS_DIR: dir, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ficus-routes-fleet-'));
    [a, b] = await Promise.all([adminApi(), adminApi()]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks every named replica; agreeing replicas: the table, "they agree", exit 0', async () => {
    const r = await ficus(['--admin-url', a.url, '--admin-url', b.url]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/products\s.*canary 10%/);
    expect(r.stdout).to.contain(`replicas (--admin-url): 2 of 2 answered; the table is ${a.url}'s; they agree`);
    expect(r.stdout).not.to.contain('(!)');
  });

  it('a replica that moved apart: names the route and each one\'s behaviour, exit 1; --json says the same', async () => {
    b.state.answer = { ...b.state.answer, routes: [row('products', { mode: 'legacy', flagEnabled: false })] };
    const r = await ficus(['--admin-url', a.url, '--admin-url', b.url]);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout).to.contain(`(!) products: replicas disagree: ${a.url} canary 10% (flag on); ${b.url} legacy (flag off)`);
    const j = await ficus(['--admin-url', a.url, '--admin-url', b.url, '--json']);
    expect(j.code).to.equal(1);
    const body = JSON.parse(j.stdout) as RoutesAnswer & { fleet: { from: string; replicas: Array<{ url: string; answered: boolean }>; problems: string[] } };
    expect(body.routes.map((x) => x.id)).to.deep.equal(['products']);
    expect(body.fleet.replicas).to.deep.equal([{ url: a.url, answered: true }, { url: b.url, answered: true }]);
    expect(body.fleet.problems).to.have.length(1);
  });

  it('finds the running replicas from their scrape targets when none is named; one down is reported, the other still shown', async () => {
    b.state.answer = { ...b.state.answer, routes: [row('products')] };
    const offs = [a, b].map((x) => registerScrapeTarget({ job: 'strangler-proxy', instance: new URL(x.url).host, url: `${x.url}/metrics`, bearerToken: token }, { dir }));
    const agree = await ficus([]);
    expect(agree.code, agree.stderr).to.equal(0);
    expect(agree.stdout).to.contain('replicas (running replicas): 2 of 2 answered');
    await b.close();
    const down = await ficus([]);
    expect(down.code, down.stderr).to.equal(1);
    expect(down.stdout).to.match(/products\s.*canary 10%/);
    expect(down.stdout).to.contain(`(!) replica ${b.url}: unreachable`);
    for (const off of offs) off();
  });

  it('none answers: PROXY_ADMIN_UNREACHABLE naming each, exit 2, no stack trace; a bad URL: CLI_INVALID_OPTION', async () => {
    const r = await ficus(['--admin-url', b.url, '--admin-url', 'http://127.0.0.1:9']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/PROXY_ADMIN_UNREACHABLE: no proxy admin API answered \(--admin-url\)/).and.contain(b.url).and.contain('http://127.0.0.1:9');
    expect(r.stderr).not.to.match(/\n\s+at .*:\d+:\d+\)/);
    const bad = await ficus(['--admin-url', 'proxy-1:8081']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/CLI_INVALID_OPTION: --admin-url: "proxy-1:8081" is not an http\(s\) URL/);
  });
});
