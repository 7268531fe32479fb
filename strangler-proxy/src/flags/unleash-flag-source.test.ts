import { expect } from 'chai';
import { createLogger } from '@ficus/common/core';
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
