import { expect } from 'chai';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { devServiceAuthSecret, signUserToken } from '@ficus/common';
import { createHttpClient, createTestDatabase, listenEphemeral, type HttpClient, type HttpResponse } from '@ficus/common/testing';
// Tests only: the contract tests run the real monolith in-process as the reference.
import { createApp, seedLegacy, testConfig, type AppOverrides, type SeedProfile } from '@ficus/legacy-monolith';

/** A small but varied data set: enough for several pages, every filter and some orders per user. */
export const contractProfile: SeedProfile = { categories: 6, products: 240, users: 20, orders: 150, cartUsers: 4, batchRows: 500 };

export interface LegacyReference {
  knex: Knex;
  baseUrl: string;
  /** A client logged in to the monolith with the seeded credentials. */
  login(email: string, password: string): Promise<HttpClient>;
  anonymous(): HttpClient;
  close(): Promise<void>;
}

/** The monolith on its own seeded test database, listening on an ephemeral port. */
export const startLegacyReference = async (overrides: AppOverrides = {}): Promise<LegacyReference> => {
  const db = await createTestDatabase('contract_legacy');
  await seedLegacy(db.knex, { profile: contractProfile, seed: 7 });
  const server = await listenEphemeral(createApp(testConfig({ gateway: { declineRate: 0, latencyMs: 0 } }), db.knex, overrides));
  return {
    knex: db.knex,
    baseUrl: server.baseUrl,
    anonymous: () => createHttpClient(server.baseUrl),
    async login(email, password) {
      const http = createHttpClient(server.baseUrl);
      const r = await http.post('/api/auth/login', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return http;
    },
    async close() { await server.close(); await db.drop(); },
  };
};

/** The service on its own test database with its schema applied, loaded by `load` from the legacy rows. */
export const startServiceUnderTest = async (
  prefix: string, applySchema: (knex: Knex) => Promise<unknown>, app: (knex: Knex) => Express,
): Promise<{ knex: Knex; baseUrl: string; close(): Promise<void> }> => {
  const db = await createTestDatabase(prefix);
  await applySchema(db.knex);
  const server = await listenEphemeral(app(db.knex));
  return { knex: db.knex, baseUrl: server.baseUrl, async close() { await server.close(); await db.drop(); } };
};

/** What the proxy sends a service after validating the monolith session of this user. */
export const serviceClientFor = (baseUrl: string, user?: { id: number; role: 'customer' | 'admin' }): HttpClient =>
  createHttpClient(baseUrl, (): Record<string, string> => (user
    ? { 'x-ficus-user': signUserToken({ userId: user.id, role: user.role, exp: Math.floor(Date.now() / 1000) + 300 }, devServiceAuthSecret) }
    : {}));

/** Copies rows in batches (tests only: the CDC issue does this for real, through Debezium). */
export const copyRows = async <R extends Record<string, unknown>>(target: Knex, table: string, rows: R[]): Promise<void> => {
  for (let i = 0; i < rows.length; i += 500) await target(table).insert(rows.slice(i, i + 500));
};

export interface Comparison { request: string; legacy: HttpResponse; service: HttpResponse }

let n = 0;

/**
 * Sends the same request (with the same `x-request-id`, so error bodies match too) to both sides
 * and asserts status, content type and body are equal. The rules are exact equality: any
 * deliberate difference is handled by the caller and documented in docs/components/extracted-services.md.
 */
export const expectSameResponse = async (
  legacy: HttpClient, service: HttpClient, method: string, path: string, body?: unknown,
): Promise<Comparison> => {
  const requestId = `contract-${process.pid}-${++n}`;
  const opts = { headers: { 'x-request-id': requestId }, ...(body === undefined ? {} : { body }) };
  const [l, s] = await Promise.all([legacy.request(method, path, opts), service.request(method, path, opts)]);
  const what = `${method} ${path}`;
  expect(s.status, `${what}: status (legacy body ${JSON.stringify(l.body).slice(0, 300)}, service ${JSON.stringify(s.body).slice(0, 300)})`).to.equal(l.status);
  expect(s.headers.get('content-type'), `${what}: content-type`).to.equal(l.headers.get('content-type'));
  expect(s.body, `${what}: body`).to.deep.equal(l.body);
  return { request: what, legacy: l, service: s };
};
