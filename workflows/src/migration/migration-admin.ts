// The migrations' admin API, served by the migration worker (bearer token as the proxy's): what the
// cockpit reads and the controls it acts with (the same client calls as `ficus migrate pause` …).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { FicusError, isFicusError, type Logger } from '@ficus/common';
import type { MigrationDeclaration } from './migration-declaration.ts';
import type { MigrationClient } from './client.ts';
import type { MigrationStateStore } from './migration-state-store.ts';
import type { MigrationState } from './migration-types.ts';

export interface MigrationOverview { name: string; description?: string; flag: string; routes: string[]; temporal: string | null; state: MigrationState | null; error?: string }

/** Every declared migration with its workflow's status and state (a query; null if never started). */
export const migrationOverview = async (configs: MigrationDeclaration[], client: MigrationClient): Promise<MigrationOverview[]> =>
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
  port: number; host?: string; token: string; configs: () => MigrationDeclaration[]; client: MigrationClient; store: MigrationStateStore; log: Logger;
}) => {
  const expected = Buffer.from(`Bearer ${o.token}`);
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) { size += (c as Buffer).length; if (size > 16_384) throw new FicusError('MIGRATION_BAD_REQUEST', 'body too large (16 KiB at most)', { status: 413 }); chunks.push(c as Buffer); }
    if (!size) return {};
    try {
      const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch { /* answered below */ }
    throw new FicusError('MIGRATION_BAD_REQUEST', 'expected a JSON object body', { status: 400 });
  };
  const text = (v: unknown, what: string, max: number): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.trim() || v.length > max) throw new FicusError('MIGRATION_BAD_REQUEST', `${what}: expected a non-empty string of at most ${max} characters`, { status: 400 });
    return v.trim();
  };
  /** The same client calls as `ficus migrate pause|resume|approve|abort`: signals to the workflow. */
  const control = async (c: MigrationDeclaration, action: string, body: Record<string, unknown>) => {
    const by = text(body.by, 'by', 100) ?? 'admin-api';
    if (action === 'pause') await o.client.pause(c.name, by);
    else if (action === 'resume') await o.client.resume(c.name, by);
    else if (action === 'approve') await o.client.approve(c.name, by);
    else if (action === 'abort') {
      const reason = text(body.reason, 'reason', 500);
      if (!reason) throw new FicusError('MIGRATION_BAD_REQUEST', 'reason: an abort needs a reason', { status: 400 });
      await o.client.abort(c.name, reason, by);
    } else throw new FicusError('NOT_FOUND', `no action ${action} (pause, resume, approve, abort)`, { status: 404 });
    return { migration: c.name, action, by, accepted: true };
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    // SECURITY: constant-time comparison; the token only ever rides in the Authorization header
    if (!(given.length === expected.length && timingSafeEqual(given, expected))) {
      return send(res, 401, { error: { code: 'ADMIN_UNAUTHORIZED', message: 'expected Authorization: Bearer <FICUS_PROXY_ADMIN_TOKEN>' } });
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'migrations') return send(res, 404, { error: { code: 'NOT_FOUND', message: `no ${url.pathname}` } });
    const configs = o.configs();
    const c = parts[1] === undefined ? undefined : configs.find((x) => x.name === parts[1]);
    if (parts[1] !== undefined && !c) return send(res, 404, { error: { code: 'MIGRATION_NOT_FOUND', message: `no migration ${parts[1]}` } });
    if (req.method === 'POST' && c && parts.length === 3) return send(res, 202, await control(c, parts[2]!, await readJson(req)));
    if (req.method !== 'GET') return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET, or POST /migrations/<name>/(pause|resume|approve|abort)' } });
    if (!c) return send(res, 200, { migrations: await migrationOverview(configs, o.client) });
    if (parts[2] === 'audit') return send(res, 200, { migration: c.name, audit: await o.store.audit(c.name, { limit: Number(url.searchParams.get('limit') ?? 1000) }) });
    if (parts.length === 2) return send(res, 200, (await migrationOverview([c], o.client))[0]);
    return send(res, 404, { error: { code: 'NOT_FOUND', message: `no ${url.pathname}` } });
  };
  /** Requests being answered: close() waits for them, so none calls Temporal after its caller closed the connection. */
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const p = handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return;
      if (isFicusError(e)) return send(res, e.status ?? 500, { error: { code: e.code, message: e.message } });
      o.log.error({ err: e }, 'migration admin request failed');
      send(res, 500, { error: { code: 'INTERNAL', message: 'the migration admin failed; see its log' } });
    }).finally(() => { inFlight.delete(p); });
    inFlight.add(p);
  });
  await new Promise<void>((resolve) => server.listen(o.port, o.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
};
