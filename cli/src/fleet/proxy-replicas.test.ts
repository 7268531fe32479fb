import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { registerScrapeTarget } from '@ficus/common/scrape-targets';
import { proxyReplicaAdminUrls } from './proxy-replicas.ts';

describe('which proxy replicas `ficus routes` asks', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ficus-replicas-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const configured = 'http://127.0.0.1:8081';

  it('the named ones first, then FICUS_PROXY_ADMIN_URLS, then the running replicas, then the configured port', () => {
    const off = [8081, 8083].map((p) => registerScrapeTarget({ job: 'strangler-proxy', instance: `127.0.0.1:${p}`, url: `http://127.0.0.1:${p}/metrics`, bearerToken: 'tok' }, { dir }));
    const env = { FICUS_PROXY_ADMIN_URLS: 'http://10.0.0.1:8081, http://10.0.0.2:8081/' };
    expect(proxyReplicaAdminUrls({ named: ['http://127.0.0.1:9081'], env, targetsDir: dir, configured })).to.deep.equal({ urls: ['http://127.0.0.1:9081'], from: '--admin-url' });
    expect(proxyReplicaAdminUrls({ named: [], env, targetsDir: dir, configured })).to.deep.equal({ urls: ['http://10.0.0.1:8081', 'http://10.0.0.2:8081'], from: 'FICUS_PROXY_ADMIN_URLS' });
    expect(proxyReplicaAdminUrls({ named: [], env: {}, targetsDir: dir, configured })).to.deep.equal({ urls: ['http://127.0.0.1:8081', 'http://127.0.0.1:8083'], from: 'running replicas' });
    for (const o of off) o();
    expect(proxyReplicaAdminUrls({ named: [], env: {}, targetsDir: dir, configured })).to.deep.equal({ urls: [configured], from: 'FICUS_PROXY_ADMIN_PORT' });
  });

  it('refuses a URL that is not http(s), naming where it came from, with CLI_INVALID_OPTION', () => {
    const code = (f: () => unknown) => { try { f(); return 'none'; } catch (e) { return `${(e as { code?: string }).code}: ${(e as Error).message}`; } };
    expect(code(() => proxyReplicaAdminUrls({ named: ['localhost:8081'], env: {}, targetsDir: dir, configured }))).to.match(/^CLI_INVALID_OPTION: --admin-url: "localhost:8081" is not an http\(s\) URL/);
    expect(code(() => proxyReplicaAdminUrls({ named: [], env: { FICUS_PROXY_ADMIN_URLS: 'http://ok:1,ftp://no' }, targetsDir: dir, configured }))).to.match(/^CLI_INVALID_OPTION: FICUS_PROXY_ADMIN_URLS: "ftp:\/\/no"/);
  });
});
