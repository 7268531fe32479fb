import { expect } from 'chai';
import { devServiceAuthSecret } from '../auth/auth-config.ts';
import type { FicusError } from '../errors/ficus-error.ts';
import { assertSafeForProduction, productionProblems, productionSettings as unsafe, type ProductionSetting } from './production-mode.ts';
import { devMariadbRootPassword, devProxyAdminToken } from './public-defaults.ts';

const thrown = (f: () => unknown): FicusError => {
  try { f(); } catch (e) { return e as FicusError; }
  throw new Error('expected a throw');
};

describe('production mode (assertSafeForProduction)', () => {
  const settings: ProductionSetting[] = [unsafe.serviceAuthSecret, unsafe.serviceAuthPreviousSecret, unsafe.proxyAdminToken, unsafe.mariadbRootPassword, unsafe.listenHost];
  const own = {
    FICUS_SERVICE_AUTH_SECRET: 'a-secret-of-this-deployment-only-0123456789',
    FICUS_PROXY_ADMIN_TOKEN: 'a-token-of-this-deployment',
    FICUS_MARIADB_ROOT_PASSWORD: 'the-real-root-password',
  };

  it('allows every default in development, the default FICUS_ENV', () => {
    expect(assertSafeForProduction({}, settings)).to.equal('development');
    expect(assertSafeForProduction({ FICUS_ENV: 'development' }, settings)).to.equal('development');
  });

  it('refuses an unknown FICUS_ENV with CONFIG_INVALID naming it', () => {
    const e = thrown(() => assertSafeForProduction({ FICUS_ENV: 'prod' }, settings));
    expect(e.code).to.equal('CONFIG_INVALID');
    expect(e.message).to.contain('FICUS_ENV');
  });

  it('in production, names every setting left to its public default, with what to do', () => {
    const e = thrown(() => assertSafeForProduction({ FICUS_ENV: 'production' }, settings));
    expect(e.code).to.equal('CONFIG_UNSAFE_FOR_PRODUCTION');
    expect(e.details).to.deep.equal({ settings: ['FICUS_SERVICE_AUTH_SECRET', 'FICUS_PROXY_ADMIN_TOKEN', 'FICUS_MARIADB_ROOT_PASSWORD'] });
    expect(e.message.split('\n')).to.have.length(4);
    expect(e.message).to.match(/FICUS_SERVICE_AUTH_SECRET is not set, so its public development default would be used: set a random secret/);
    expect(e.message).to.match(/FICUS_PROXY_ADMIN_TOKEN .*openssl rand/);
  });

  it('in production, refuses a public value given explicitly (an empty one counts as unset)', () => {
    const env = { FICUS_ENV: 'production', ...own, FICUS_PROXY_ADMIN_TOKEN: devProxyAdminToken, FICUS_MARIADB_ROOT_PASSWORD: devMariadbRootPassword, FICUS_SERVICE_AUTH_PREVIOUS_SECRET: devServiceAuthSecret };
    expect(productionProblems(env, settings).map((p) => p.name)).to.deep.equal(['FICUS_SERVICE_AUTH_PREVIOUS_SECRET', 'FICUS_PROXY_ADMIN_TOKEN', 'FICUS_MARIADB_ROOT_PASSWORD']);
    expect(productionProblems(env, settings)[0]!.message).to.equal('FICUS_SERVICE_AUTH_PREVIOUS_SECRET is set to a public development value: unset it, or set it to the secret being rotated away from');
    expect(productionProblems({ ...own, FICUS_SERVICE_AUTH_SECRET: '' }, settings).map((p) => p.name)).to.deep.equal(['FICUS_SERVICE_AUTH_SECRET']);
  });

  it('in production, passes when every setting is given explicitly', () => {
    expect(assertSafeForProduction({ FICUS_ENV: 'production', ...own }, settings)).to.equal('production');
    expect(assertSafeForProduction({ FICUS_ENV: 'production', ...own, FICUS_LISTEN_HOST: '0.0.0.0' }, settings), 'an explicit open address').to.equal('production');
  });

  it('in production, refuses a non-loopback listen address nobody set, and accepts loopback defaults', () => {
    const open: ProductionSetting = { kind: 'listen', name: 'FICUS_ADMIN_HOST', defaultHost: '0.0.0.0' };
    expect(productionProblems({}, [open])).to.deep.equal([{
      name: 'FICUS_ADMIN_HOST',
      message: 'FICUS_ADMIN_HOST is not set and its default 0.0.0.0 is not a loopback address: set FICUS_ADMIN_HOST explicitly (127.0.0.1, or 0.0.0.0 in a container whose ports are published on purpose)',
    }]);
    expect(productionProblems({ FICUS_ADMIN_HOST: '0.0.0.0' }, [open])).to.deep.equal([]);
    for (const defaultHost of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) {
      expect(productionProblems({}, [{ kind: 'listen', name: 'H', defaultHost }]), defaultHost).to.deep.equal([]);
    }
    expect(productionProblems({}, [{ kind: 'listen', name: 'H', defaultHost: '::' }])).to.have.length(1);
  });

  it('knows each service database password default by its prefix', () => {
    const s = unsafe.serviceDbPassword('CATALOG', 'svc_catalog');
    expect(productionProblems({ CATALOG_DB_PASSWORD: 'ficus-catalog-local' }, [s]).map((p) => p.name)).to.deep.equal(['CATALOG_DB_PASSWORD']);
    expect(productionProblems({ CATALOG_DB_PASSWORD: 'something-else' }, [s])).to.deep.equal([]);
  });
});
