import { expect } from 'chai';
import { isFicusError } from '@ficus/common';
import { loadCdcConfig } from './config.ts';

const refused = (env: NodeJS.ProcessEnv): string[] => {
  try { loadCdcConfig(env); return []; } catch (e) {
    if (isFicusError(e) && e.code === 'CONFIG_UNSAFE_FOR_PRODUCTION') return (e.details as { settings: string[] }).settings;
    throw e;
  }
};

describe('cdc config: its own MariaDB user, and production mode', () => {
  it('connects as ficus_cdc by default and provisions at start (local dev)', () => {
    const c = loadCdcConfig({});
    expect(c.login.user).to.equal('ficus_cdc');
    expect(c.provisionOnStart).to.equal(true);
    expect(c.controlDatabase).to.equal('ficus_cdc');
  });

  it('in production refuses the public CDC password, and the root password only while it provisions at start', () => {
    expect(refused({ FICUS_ENV: 'production', FICUS_LISTEN_HOST: '127.0.0.1', FICUS_DEBEZIUM_PASSWORD: 'dbz-secret-here' })).to.have.members(['FICUS_CDC_DB_PASSWORD', 'FICUS_MARIADB_ROOT_PASSWORD']);
    expect(refused({ FICUS_ENV: 'production', FICUS_LISTEN_HOST: '127.0.0.1', FICUS_DEBEZIUM_PASSWORD: 'dbz-secret-here', CDC_PROVISION_ON_START: 'false' })).to.deep.equal(['FICUS_CDC_DB_PASSWORD']);
    expect(refused({ FICUS_ENV: 'production', FICUS_LISTEN_HOST: '127.0.0.1', FICUS_DEBEZIUM_PASSWORD: 'dbz-secret-here', CDC_PROVISION_ON_START: 'false', FICUS_CDC_DB_PASSWORD: 'a-password-of-our-own' })).to.deep.equal([]);
  });
});
