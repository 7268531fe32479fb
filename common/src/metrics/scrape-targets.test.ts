import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bearerKey, liveScrapeTargets, registerScrapeTarget, scrapeTargetEntry, sweepDeadScrapeTargets, type ScrapeTarget } from './scrape-targets.ts';

const codeOf = (f: () => unknown): string => {
  try { f(); } catch (e) { return (e as { code: string }).code; }
  throw new Error('expected a failure');
};

describe('scrape targets', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ficus-scrape-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turn a metrics URL into a file_sd entry with job, instance, scheme, path and extra labels', () => {
    expect(scrapeTargetEntry({ job: 'strangler-proxy', instance: 'proxy-2', url: 'https://127.0.0.1:8081/admin/metrics?format=text', labels: { replica: '2' } })).to.deep.equal({
      targets: ['127.0.0.1:8081'],
      labels: { replica: '2', __param_format: 'text', job: 'strangler-proxy', instance: 'proxy-2', __scheme__: 'https', __metrics_path__: '/admin/metrics' },
    });
    expect(scrapeTargetEntry({ job: 'j', instance: 'i', url: 'http://localhost/metrics' }).targets).to.deep.equal(['localhost:80']);
  });

  it('refuse what Prometheus would not take, with SCRAPE_TARGET_INVALID', () => {
    const ok: ScrapeTarget = { job: 'cdc', instance: '127.0.0.1:3201', url: 'http://127.0.0.1:3201/metrics' };
    const bad: Array<Partial<ScrapeTarget>> = [
      { job: ' ' },
      { instance: '' },
      { url: 'not a url' },
      { url: 'ftp://127.0.0.1/metrics' },
      { url: 'http://user:pw@127.0.0.1:3201/metrics' },
      { labels: { 'bad-name': 'x' } },
      { labels: { __address__: 'x' } },
      { labels: { job: 'other' } },
      { bearerToken: 'has space' },
    ];
    for (const b of bad) expect(codeOf(() => registerScrapeTarget({ ...ok, ...b }, { dir })), JSON.stringify(b)).to.equal('SCRAPE_TARGET_INVALID');
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('write one file per job and instance, and unregister removes only that one', () => {
    const a = registerScrapeTarget({ job: 'catalog-service', instance: '127.0.0.1:3101', url: 'http://127.0.0.1:3101/metrics' }, { dir });
    const b = registerScrapeTarget({ job: 'catalog-service', instance: '127.0.0.1:3111', url: 'http://127.0.0.1:3111/metrics' }, { dir });
    expect(readdirSync(dir).sort()).to.deep.equal(['catalog-service--127.0.0.1_3101.json', 'catalog-service--127.0.0.1_3111.json']);
    const entries = JSON.parse(readFileSync(join(dir, 'catalog-service--127.0.0.1_3101.json'), 'utf8')) as Array<{ targets: string[] }>;
    expect(entries[0]!.targets).to.deep.equal(['127.0.0.1:3101']);
    a();
    expect(readdirSync(dir)).to.deep.equal(['catalog-service--127.0.0.1_3111.json']);
    b();
    b();
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('leave a newer registration of the same target alone when the older one unregisters', () => {
    const old = registerScrapeTarget({ job: 'cdc', instance: 'cdc-1', url: 'http://127.0.0.1:3201/metrics' }, { dir });
    registerScrapeTarget({ job: 'cdc', instance: 'cdc-1', url: 'http://127.0.0.1:3202/metrics' }, { dir })();
    const again = registerScrapeTarget({ job: 'cdc', instance: 'cdc-1', url: 'http://127.0.0.1:3203/metrics' }, { dir });
    old();
    expect(readFileSync(join(dir, 'cdc--cdc-1.json'), 'utf8')).to.contain('127.0.0.1:3203');
    again();
  });

  it('put a target with a bearer token in its token\'s folder, with the token readable by the owner only and a scrape job of its own', () => {
    const off = registerScrapeTarget({ job: 'strangler-proxy', instance: 'proxy-1', url: 'http://127.0.0.1:8081/metrics', bearerToken: 'tok-1' }, { dir });
    const key = bearerKey('tok-1');
    expect(key).to.match(/^[0-9a-f]{16}$/);
    expect(readdirSync(dir)).to.deep.equal(['bearer']);
    expect(readdirSync(join(dir, 'bearer'))).to.deep.equal([key]);
    const folder = join(dir, 'bearer', key);
    expect(readdirSync(folder).sort()).to.deep.equal(['scrape.yml', 'strangler-proxy--proxy-1.json', 'token']);
    expect(readFileSync(join(folder, 'token'), 'utf8')).to.equal('tok-1');
    expect(statSync(join(folder, 'token')).mode & 0o777).to.equal(0o600);
    // JSON is YAML: what scrape_config_files reads
    expect(JSON.parse(readFileSync(join(folder, 'scrape.yml'), 'utf8'))).to.deep.equal([{
      job_name: `ficus-bearer-${key}`, bearer_token_file: join(folder, 'token'), file_sd_configs: [{ files: [join(folder, '*.json')] }],
    }]);
    off();
    expect(existsSync(join(folder, 'strangler-proxy--proxy-1.json'))).to.equal(false);
  });

  it('scrape targets with different tokens each with their own (the demo\'s proxy and a test\'s at once)', () => {
    const demo = registerScrapeTarget({ job: 'strangler-proxy', instance: 'demo', url: 'http://127.0.0.1:8081/metrics', bearerToken: 'demo-token' }, { dir });
    const test = registerScrapeTarget({ job: 'strangler-proxy', instance: 'test', url: 'http://127.0.0.1:9081/metrics', bearerToken: 'test-token' }, { dir });
    const token = (t: string) => readFileSync(join(dir, 'bearer', bearerKey(t), 'token'), 'utf8');
    expect([token('demo-token'), token('test-token')]).to.deep.equal(['demo-token', 'test-token']);
    expect(readdirSync(join(dir, 'bearer', bearerKey('demo-token')))).to.include('strangler-proxy--demo.json');
    expect(readdirSync(join(dir, 'bearer', bearerKey('test-token')))).to.include('strangler-proxy--test.json');
    // no token in a file name
    expect(JSON.stringify(readdirSync(dir, { recursive: true }))).not.to.match(/demo-token|test-token/);
    demo();
    test();
  });

  it('sweep the targets of killed processes at the next registration, and only theirs', () => {
    const dead = spawnSync('true').pid; // ended: like a process killed with SIGKILL, it ran no exit hook
    const file = (owner: number | undefined) => `${JSON.stringify([{ targets: ['127.0.0.1:1'], labels: { job: 'j', instance: String(owner), ...(owner ? { __ficus_owner_pid: String(owner) } : {}) } }])}\n`;
    writeFileSync(join(dir, 'killed.json'), file(dead));
    writeFileSync(join(dir, 'by-hand.json'), file(undefined));
    writeFileSync(join(dir, 'alive.json'), file(process.pid));
    writeFileSync(join(dir, 'broken.json'), '[{');
    const off = registerScrapeTarget({ job: 'strangler-proxy', instance: 'proxy-1', url: 'http://127.0.0.1:8081/metrics', bearerToken: 'tok-1' }, { dir });
    const folder = join(dir, 'bearer', bearerKey('tok-1'));
    writeFileSync(join(folder, 'killed-too.json'), file(dead));
    writeFileSync(join(dir, 'bearer', 'killed-in-the-old-layout.json'), file(dead));
    expect(readdirSync(dir).sort()).to.deep.equal(['alive.json', 'bearer', 'broken.json', 'by-hand.json']);
    expect(sweepDeadScrapeTargets(dir).sort()).to.deep.equal(['killed-in-the-old-layout.json', 'killed-too.json']);
    expect(readdirSync(folder).sort(), 'the token\'s folder stays').to.deep.equal(['scrape.yml', 'strangler-proxy--proxy-1.json', 'token']);
    // its own file names its process, so a later registration after a kill -9 would sweep it
    const own = JSON.parse(readFileSync(join(folder, 'strangler-proxy--proxy-1.json'), 'utf8')) as Array<{ labels: Record<string, string> }>;
    expect(own[0]!.labels.__ficus_owner_pid).to.equal(String(process.pid));
    off();
  });

  it('list the live targets of a job, plain and behind tokens, without those of killed processes', () => {
    const a = registerScrapeTarget({ job: 'strangler-proxy', instance: '127.0.0.1:8083', url: 'http://127.0.0.1:8083/metrics', bearerToken: 'tok-a' }, { dir });
    const b = registerScrapeTarget({ job: 'strangler-proxy', instance: '127.0.0.1:8081', url: 'http://127.0.0.1:8081/metrics', bearerToken: 'tok-b' }, { dir });
    const other = registerScrapeTarget({ job: 'cdc', instance: 'cdc-1', url: 'http://127.0.0.1:3201/metrics' }, { dir });
    const dead = spawnSync('true').pid;
    writeFileSync(join(dir, 'bearer', bearerKey('tok-a'), 'killed.json'), `${JSON.stringify([{ targets: ['127.0.0.1:8093'], labels: { job: 'strangler-proxy', instance: '127.0.0.1:8093', __ficus_owner_pid: String(dead) } }])}\n`);
    expect(liveScrapeTargets(dir, 'strangler-proxy')).to.deep.equal([
      { job: 'strangler-proxy', instance: '127.0.0.1:8081', url: 'http://127.0.0.1:8081/metrics' },
      { job: 'strangler-proxy', instance: '127.0.0.1:8083', url: 'http://127.0.0.1:8083/metrics' },
    ]);
    expect(liveScrapeTargets(join(dir, 'nowhere'), 'strangler-proxy')).to.deep.equal([]);
    a(); b(); other();
  });

  it('say where a target could not be written, with SCRAPE_TARGET_WRITE_FAILED', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(codeOf(() => registerScrapeTarget({ job: 'j', instance: 'i', url: 'http://127.0.0.1:1/metrics' }, { dir: file }))).to.equal('SCRAPE_TARGET_WRITE_FAILED');
  });
});
