// The migrations' admin API and page, served by the migration worker (bearer token as the proxy's).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '@ficus/common';
import type { MigrationConfig } from './migration-config.ts';
import type { MigrationClient } from './client.ts';
import type { MigrationStateStore } from './migration-state-store.ts';
import type { MigrationState } from './migration-types.ts';
import { renderMigrationsPage } from './migration-page.ts';

export interface MigrationOverview { name: string; description?: string; flag: string; routes: string[]; temporal: string | null; state: MigrationState | null; error?: string }

/** Every declared migration with its workflow's status and state (a query; null if never started). */
export const migrationOverview = async (configs: MigrationConfig[], client: MigrationClient): Promise<MigrationOverview[]> =>
  Promise.all(configs.map(async (c) => {
    const base = { name: c.name, description: c.description, flag: c.flag, routes: c.routes };
    try {
      const d = await client.describe(c.name);
      return { ...base, temporal: d.status, state: await client.state(c.name) };
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ...base, temporal: null, state: null, ...(code === 'MIGRATION_NOT_RUNNING' ? {} : { error: (e as Error).message }) };
    }
  }));

export const startMigrationAdmin = async (o: {
  port: number; host?: string; token: string; configs: () => MigrationConfig[]; client: MigrationClient; store: MigrationStateStore; log: Logger;
}) => {
  const expected = Buffer.from(`Bearer ${o.token}`);
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(type === 'application/json' ? JSON.stringify(body) : String(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    // SECURITY: constant-time comparison; the page may carry the token as ?token= for a browser
    const queryToken = Buffer.from(`Bearer ${url.searchParams.get('token') ?? ''}`);
    const ok = (b: Buffer) => b.length === expected.length && timingSafeEqual(b, expected);
    if (!ok(given) && !ok(queryToken)) return send(res, 401, { error: { code: 'ADMIN_UNAUTHORIZED', message: 'expected Authorization: Bearer <FICUS_PROXY_ADMIN_TOKEN>' } });
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method !== 'GET') return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } });
    if (parts[0] !== 'migrations') return send(res, 404, { error: { code: 'NOT_FOUND', message: `no ${url.pathname}` } });
    const configs = o.configs();
    if (parts.length === 1) return send(res, 200, { migrations: await migrationOverview(configs, o.client) });
    if (parts[1] === 'page') return send(res, 200, renderMigrationsPage(await migrationOverview(configs, o.client)), 'text/html; charset=utf-8');
    const c = configs.find((x) => x.name === parts[1]);
    if (!c) return send(res, 404, { error: { code: 'MIGRATION_NOT_FOUND', message: `no migration ${parts[1]}` } });
    if (parts[2] === 'audit') return send(res, 200, { migration: c.name, audit: await o.store.audit(c.name, { limit: Number(url.searchParams.get('limit') ?? 1000) }) });
    if (parts.length === 2) return send(res, 200, (await migrationOverview([c], o.client))[0]);
    return send(res, 404, { error: { code: 'NOT_FOUND', message: `no ${url.pathname}` } });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => { o.log.error({ err: e }, 'migration admin request failed'); if (!res.headersSent) send(res, 500, { error: { code: 'INTERNAL', message: (e as Error).message } }); });
  });
  await new Promise<void>((resolve) => server.listen(o.port, o.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return { url: `http://${o.host ?? '127.0.0.1'}:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
};
