import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { FicusError } from '@ficus/common';
import { proxyAdminConfig } from './proxy-admin-config.ts';

interface FieldRow { field: string; count: number; lastRequestId?: string; cls?: string }
interface RouteReport {
  route: string; matchRate: number | null; counts: Record<string, number>;
  topFields: FieldRow[]; noiseFields: FieldRow[]; lagFields: FieldRow[];
  examples: Array<{ id: number; requestId: string; method: string; url: string }>;
}
interface ReplayAnswer { replayed: number; nowMatching: number; stillDiffering: number; items: Array<{ id: number; requestId: string; method: string; url: string; result: string; reason?: string; differences: Array<{ path: string }> }> }

const adminCall = async (o: { adminUrl?: string }, path: string, init: RequestInit = {}) => {
  const config = proxyAdminConfig();
  const url = `${o.adminUrl ?? `http://${config.host}:${config.adminPort}`}${path}`;
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json', ...init.headers }, signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new FicusError('PROXY_ADMIN_UNREACHABLE', `cannot reach the proxy admin API at ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new FicusError('PROXY_ADMIN_FAILED', `${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json() as Promise<unknown>;
};

const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** `ficus shadow report|replay|page`: shadow comparison results from the running proxy's admin API. */
export const registerShadow = (program: Command): void => {
  const shadow = program.command('shadow').description('shadow traffic: comparison reports, replay of stored mismatches, the report page');

  shadow.command('report').argument('[route]', 'one route (default: all)')
    .description('match rate, top differing fields with counts, example request ids')
    .option('--admin-url <url>', 'proxy admin API (default: http://FICUS_PROXY_HOST:FICUS_PROXY_ADMIN_PORT)')
    .option('--json', 'machine-readable')
    .action(async (route: string | undefined, o: { adminUrl?: string; json?: boolean }) => {
      const reports = route
        ? [await adminCall(o, `/shadow/report/${encodeURIComponent(route)}`) as RouteReport]
        : ((await adminCall(o, '/shadow/report')) as { routes: RouteReport[] }).routes;
      if (o.json) { console.log(JSON.stringify(route ? reports[0] : { routes: reports }, null, 2)); return; }
      const t = createTable({ head: ['route', 'match rate', 'compared', 'mismatched', 'noise', 'lag', 'errors', 'shed', 'top differing fields', 'example request ids'] });
      for (const r of reports) {
        const c = r.counts;
        t.push([r.route, pct(r.matchRate), c.compared ?? 0, c.mismatched ?? 0, c.noise ?? 0, c.lag ?? 0, c.errors ?? 0, c.shed ?? 0,
          r.topFields.slice(0, route ? 20 : 5).map((f) => `${f.field} ×${f.count}`).join('\n') || '–',
          r.examples.slice(0, 3).map((e) => e.requestId).join('\n') || '–']);
      }
      console.log(t.toString());
      if (route && reports[0]!.noiseFields.length) console.log(`noise (set apart): ${reports[0]!.noiseFields.map((f) => `${f.field} ×${f.count}`).join(', ')}`);
    });

  shadow.command('replay').argument('[route]', 'one route (default: all)')
    .description('send stored mismatching requests to the current service; report which now match')
    .option('--limit <n>', 'at most this many (newest first)', '100')
    .option('--admin-url <url>', 'proxy admin API')
    .option('--json', 'machine-readable')
    .action(async (route: string | undefined, o: { adminUrl?: string; json?: boolean; limit: string }) => {
      const r = await adminCall(o, '/shadow/replay', { method: 'POST', body: JSON.stringify({ route, limit: Number(o.limit) }) }) as ReplayAnswer;
      if (o.json) { console.log(JSON.stringify(r, null, 2)); return; }
      const t = createTable({ head: ['id', 'request id', 'request', 'now', 'still differing / why'] });
      for (const i of r.items) t.push([i.id, i.requestId, `${i.method} ${i.url}`, i.result, i.reason ?? i.differences.map((d) => d.path).join('\n')]);
      console.log(t.toString());
      console.log(`replayed ${r.replayed}: ${r.nowMatching} now match, ${r.stillDiffering} still differ`);
      if (r.stillDiffering) process.exitCode = 1;
    });

  shadow.command('page')
    .description('serve the admin report page on a loopback port, adding the admin token (a browser cannot send it)')
    .option('--port <n>', 'local port (0: any free one)', '0')
    .option('--admin-url <url>', 'proxy admin API')
    .action(async (o: { adminUrl?: string; port: string }) => {
      const config = proxyAdminConfig();
      const admin = new URL(o.adminUrl ?? `http://${config.host}:${config.adminPort}`);
      // SECURITY: bound to 127.0.0.1 and limited to GET /shadow/page…, so the token never leaves this machine.
      const server = createServer(async (req, res) => {
        if (req.method !== 'GET' || !req.url?.startsWith('/shadow/page')) { res.writeHead(302, { location: '/shadow/page' }).end(); return; }
        try {
          const upstream = await fetch(new URL(req.url, admin), { headers: { authorization: `Bearer ${config.adminToken}` } });
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/html' }).end(Buffer.from(await upstream.arrayBuffer()));
        } catch (e) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy admin API unreachable: ${(e as Error).message}`);
        }
      });
      await new Promise<void>((r) => server.listen(Number(o.port), '127.0.0.1', r));
      console.log(`shadow report page: http://127.0.0.1:${(server.address() as AddressInfo).port}/shadow/page (Ctrl-C to stop)`);
    });
};
