import { expect } from 'chai';
import { isFicusError } from '@ficus/common';
import { proxyAdminConfig } from './proxy-admin-config.ts';

describe('the proxy settings of an operator\'s command (routes, shadow)', () => {
  const production = { FICUS_ENV: 'production' };

  it('in production, needs the admin token it sends and none of the proxy\'s own secrets', () => {
    const config = proxyAdminConfig({ ...production, FICUS_PROXY_ADMIN_TOKEN: 'an-operator-token-0123456789abcdef', FICUS_PROXY_ADMIN_PORT: '9081' });
    expect(config.adminToken).to.equal('an-operator-token-0123456789abcdef');
    expect(config.adminPort).to.equal(9081);
  });

  it('in production, refuses the public default admin token with a code naming the variable', () => {
    let error: unknown;
    try { proxyAdminConfig(production); } catch (e) { error = e; }
    expect(isFicusError(error) && error.code).to.equal('CONFIG_UNSAFE_FOR_PRODUCTION');
    expect((error as Error).message).to.contain('FICUS_PROXY_ADMIN_TOKEN').and.not.contain('FICUS_PROXY_DB_PASSWORD');
  });
});
