import { expect } from 'chai';
import { loadConfig } from './config.ts';

describe('legacy config', () => {
  it('has defaults: port 3000 on 127.0.0.1, database legacy, no declines, no latency', () => {
    const c = loadConfig({});
    expect(c).to.deep.include({ host: '127.0.0.1', port: 3000, gateway: { declineRate: 0, latencyMs: 0 } });
    expect(c.database).to.include({ database: 'legacy', host: '127.0.0.1', port: 13306, user: 'root' });
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '4100', LEGACY_DATABASE: 'shop', LEGACY_GATEWAY_DECLINE_RATE: '0.25', LEGACY_GATEWAY_LATENCY_MS: '80', FICUS_MARIADB_PORT: '3307' });
    expect(c).to.deep.include({ port: 4100, gateway: { declineRate: 0.25, latencyMs: 80 } });
    expect(c.database).to.include({ database: 'shop', port: 3307 });
  });

  it('fails with one precise CONFIG_INVALID message naming each bad variable', () => {
    const e = (() => { try { loadConfig({ PORT: 'x', LEGACY_GATEWAY_DECLINE_RATE: '2', LEGACY_DATABASE: 'a-b' }); } catch (x) { return x as { code: string; message: string }; } })();
    expect(e?.code).to.equal('CONFIG_INVALID');
    expect(e?.message).to.include('PORT').and.include('LEGACY_GATEWAY_DECLINE_RATE').and.include('LEGACY_DATABASE');
  });
});
