import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { readStackEnv, withRootConnection } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { createApp, type AppOverrides } from '../create-app.ts';
import { testConfig, type LegacyConfig } from '../config.ts';
import { provisionLegacy } from '../db/provision-legacy.ts';
import { assertLegacyProvisioned } from '../db/legacy-login.ts';
import { createHttpClient, type HttpClient } from './http-client.ts';

export interface LegacyTestApp {
  baseUrl: string;
  /** Root on the test database: the test's own setup and checks. The app runs as `appUser`. */
  knex: Knex;
  /** The monolith's MariaDB user of this test (provisioned like `ficus_legacy`: row rights on its tables, no DDL). */
  appUser: string;
  /** A new client with its own cookie jar (one per simulated user). */
  client(): HttpClient;
  /** Registers a user (optionally an admin) and returns a client logged in as them. */
  signUp(opts?: { admin?: boolean; email?: string; password?: string }): Promise<{ http: HttpClient; id: number; email: string; password: string }>;
  /** Starts another app on the same database, e.g. with another payment gateway. */
  startApp(config?: Partial<Pick<LegacyConfig, 'gateway' | 'sessionTtlHours'>>, overrides?: AppOverrides): Promise<{ baseUrl: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A uniquely named database provisioned as the monolith's is (schema, a user of the test's own with
 * the monolith's grants), and the monolith listening on an ephemeral port of 127.0.0.1 as that user,
 * so a missing grant fails the test.
 */
export const startLegacyTestApp = async (prefix: string, overrides: AppOverrides = {}): Promise<LegacyTestApp> => {
  const stack = readStackEnv();
  const db = await createTestDatabase(prefix);
  const login = { user: `leg_t${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
  await provisionLegacy(stack, { database: db.name, login });
  const appKnex = knexFactory({ client: 'mysql2', connection: { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, ...login, database: db.name, timezone: 'Z' }, pool: { min: 0, max: 10 } });
  await assertLegacyProvisioned(appKnex, { user: login.user, database: db.name });
  const servers: Array<() => Promise<void>> = [];
  const startApp: LegacyTestApp['startApp'] = async (config = {}, o = overrides) => {
    const app = createApp({ ...testConfig(), ...config }, appKnex, o);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    servers.push(close);
    return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
  };
  const { baseUrl } = await startApp({ gateway: { declineRate: 0, latencyMs: 0 } });
  const client = () => createHttpClient(baseUrl);
  return {
    baseUrl,
    knex: db.knex,
    appUser: login.user,
    client,
    startApp,
    async signUp(opts = {}) {
      const http = client();
      const email = opts.email ?? `user${++counter}-${Date.now()}@example.com`;
      const password = opts.password ?? 'correct horse battery';
      const res = await http.post('/api/auth/register', { email, password, name: `User ${counter}` });
      if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
      const id = (res.body as { id: number }).id;
      if (opts.admin) await db.knex('users').where({ id }).update({ role: 'admin' });
      return { http, id, email, password };
    },
    async close() {
      for (const close of servers) await close();
      await appKnex.destroy();
      await withRootConnection(stack, async (admin) => { await admin.raw(`DROP USER IF EXISTS ?@'%'`, [login.user]); });
      await db.drop();
    },
  };
};
