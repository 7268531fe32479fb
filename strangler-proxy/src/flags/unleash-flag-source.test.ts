import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, waitFor } from '@ficus/common/core';
import { createUnleashFlagSource } from './unleash-flag-source.ts';
import type { FlagSource } from './flag-source.ts';

// Offline: the client starts from the bootstrap and its server is a closed port.
describe('unleash flag source: evaluation plans', () => {
  let flags: FlagSource;
  before(async () => {
    flags = createUnleashFlagSource({
      url: 'http://127.0.0.1:9/api', clientToken: 'none', appName: 'ficus-test', refreshMs: 60_000, stalenessBoundMs: 60_000,
      bootstrap: { flags: { 'f.shadow30': { mode: 'shadow', percent: 30 }, 'f.service': { mode: 'service', percent: 100 }, 'f.legacy': { mode: 'legacy', percent: 100 } } },
      log: createLogger('test', 'silent'),
    });
    await flags.start(1_000);
  });
  after(() => flags.close());

  it('a gradual rollout decides anonymous requests at its percentage, with its one variant', () => {
    let on = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const e = flags.evaluate('f.shadow30', undefined, undefined);
      if (e.enabled) {
        on++;
        expect(e.variant).to.equal('shadow');
      }
    }
    expect(on / n).to.be.within(0.27, 0.33);
  });

  it('a request with a user or session id gets Unleash’s own sticky answer, the same every time', () => {
    for (const [user, session] of [['u-1', undefined], [undefined, 's-9'], ['u-2', 's-2']] as const) {
      const first = flags.evaluate('f.shadow30', user, session);
      for (let i = 0; i < 50; i++) expect(flags.evaluate('f.shadow30', user, session)).to.deep.equal(first);
    }
    let on = 0;
    for (let i = 0; i < 2_000; i++) if (flags.evaluate('f.shadow30', `user-${i}`, undefined).enabled) on++;
    expect(on / 2_000).to.be.within(0.25, 0.35);
  });

  it('flags that cannot depend on who asks are constant', () => {
    expect(flags.evaluate('f.service', undefined, undefined)).to.deep.equal({ enabled: true, variant: 'service' });
    expect(flags.evaluate('f.legacy', 'u', 's').enabled).to.equal(false);
    expect(flags.evaluate('f.unknown', undefined, undefined).enabled).to.equal(false);
  });
});

// What Unleash's usage metrics receive: a local endpoint standing in for the server's client API
// (register, features, metrics), so the test reads the very payload the SDK posts.
describe('unleash flag source: usage metrics', () => {
  it('counts the evaluations it answers without the SDK as the SDK counts its own (yes/no and variants)', async () => {
    const posted: Array<{ bucket: { toggles: Record<string, { yes: number; no: number; variants?: Record<string, number> }> } }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        if (req.url?.endsWith('/client/metrics')) posted.push(JSON.parse(body));
        if (req.url?.endsWith('/client/features')) { res.writeHead(304).end(); return; }
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const flags = createUnleashFlagSource({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, clientToken: 'none', appName: 'ficus-test', refreshMs: 60_000, stalenessBoundMs: 60_000,
      metricsIntervalMs: 200,
      bootstrap: { flags: { 'm.service': { mode: 'service', percent: 100 }, 'm.legacy': { mode: 'legacy', percent: 100 }, 'm.canary': { mode: 'canary', percent: 50 } } },
      log: createLogger('test', 'silent'),
    });
    try {
      await flags.start(1_000);
      for (let i = 0; i < 10; i++) flags.evaluate('m.service', undefined, undefined);
      for (let i = 0; i < 3; i++) flags.evaluate('m.legacy', undefined, undefined);
      let on = 0;
      for (let i = 0; i < 40; i++) if (flags.evaluate('m.canary', undefined, undefined).enabled) on++;
      flags.evaluate('m.canary', 'user-7', undefined); // through the SDK, counted by it
      const toggles = await waitFor(() => {
        const sum: Record<string, { yes: number; no: number; variants: Record<string, number> }> = {};
        for (const p of posted) {
          for (const [name, t] of Object.entries(p.bucket.toggles)) {
            const s = (sum[name] ??= { yes: 0, no: 0, variants: {} });
            s.yes += t.yes;
            s.no += t.no;
            for (const [v, n] of Object.entries(t.variants ?? {})) s.variants[v] = (s.variants[v] ?? 0) + n;
          }
        }
        return sum['m.canary'] && sum['m.canary'].yes + sum['m.canary'].no === 41 ? sum : undefined;
      }, { what: 'usage metrics posted to Unleash', timeoutMs: 15_000, intervalMs: 50 });
      expect(toggles['m.service']).to.deep.equal({ yes: 10, no: 0, variants: { service: 10 } });
      expect(toggles['m.legacy']).to.deep.equal({ yes: 0, no: 3, variants: { disabled: 3 } });
      const canary = toggles['m.canary']!;
      expect(canary.yes + canary.no).to.equal(41);
      expect(canary.yes).to.be.at.least(on);
      expect((canary.variants.canary ?? 0) + (canary.variants.disabled ?? 0)).to.equal(41);
    } finally {
      flags.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
