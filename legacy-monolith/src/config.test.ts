import { expect } from 'chai';
import { loadConfig } from './config.ts';

describe('legacy config', () => {
  it('has defaults: port 3000 on 127.0.0.1, database legacy as its own user ficus_legacy (provisioned at start), no declines, no latency', () => {
    const c = loadConfig({});
    expect(c).to.deep.include({ host: '127.0.0.1', port: 3000, gateway: { declineRate: 0, latencyMs: 0 }, provisionOnStart: true });
    expect(c.database).to.include({ database: 'legacy', host: '127.0.0.1', port: 13306, user: 'ficus_legacy', password: 'ficus-legacy-local' });
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '4100', LEGACY_DATABASE: 'shop', LEGACY_GATEWAY_DECLINE_RATE: '0.25', LEGACY_GATEWAY_LATENCY_MS: '80', FICUS_MARIADB_PORT: '3307', LEGACY_DB_USER: 'shop_app', LEGACY_DB_PASSWORD: 'a-secret-of-mine', LEGACY_PROVISION_ON_START: 'false' });
    expect(c).to.deep.include({ port: 4100, gateway: { declineRate: 0.25, latencyMs: 80 }, provisionOnStart: false });
    expect(c.database).to.include({ database: 'shop', port: 3307, user: 'shop_app', password: 'a-secret-of-mine' });
  });

  it('fails with one precise CONFIG_INVALID message naming each bad variable', () => {
    const e = (() => { try { loadConfig({ PORT: 'x', LEGACY_GATEWAY_DECLINE_RATE: '2', LEGACY_DATABASE: 'a-b' }); } catch (x) { return x as { code: string; message: string }; } })();
    expect(e?.code).to.equal('CONFIG_INVALID');
    expect(e?.message).to.include('PORT').and.include('LEGACY_GATEWAY_DECLINE_RATE').and.include('LEGACY_DATABASE');
  });

  it('in production refuses the public database password, and the root password only while it provisions at start', () => {
    const refused = (env: NodeJS.ProcessEnv) => { try { loadConfig({ FICUS_ENV: 'production', FICUS_LISTEN_HOST: '127.0.0.1', ...env }); return []; } catch (x) { return ((x as { details?: { settings?: string[] } }).details?.settings ?? []); } };
    expect(refused({})).to.have.members(['LEGACY_DB_PASSWORD', 'FICUS_MARIADB_ROOT_PASSWORD']);
    expect(refused({ LEGACY_DB_PASSWORD: 'ficus-legacy-local', LEGACY_PROVISION_ON_START: 'false' })).to.deep.equal(['LEGACY_DB_PASSWORD']);
    expect(refused({ LEGACY_DB_PASSWORD: 'a-secret-of-mine', LEGACY_PROVISION_ON_START: 'false' })).to.deep.equal([]);
  });
});
