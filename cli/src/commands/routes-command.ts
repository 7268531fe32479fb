import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { FicusError } from '@ficus/common';
import { readProxyConfig } from '@ficus/strangler-proxy';

interface RouteRow {
  id: string; methods: string[]; path: string; header: { name: string; value: string } | null; service: string; flag: string;
  flagExists: boolean; flagEnabled: boolean; mode: string; percent: number; problem: string | null; safe: string; fallbackToLegacy: boolean; effective: string;
  unit: string | null; owner: string | null; ownerState: string | null; flagDisagrees: boolean;
}
interface RoutesAnswer { flags: { stale: boolean; stalenessMs: number | null; lastSyncAt: string | null }; routes: RouteRow[] }

/** `ficus routes`: what the running proxy does with each route now, from its admin API. */
export const registerRoutes = (program: Command): void => {
  program.command('routes')
    .description('the running strangler proxy\'s routes with their mode and flag state (admin API)')
    .option('--admin-url <url>', 'proxy admin API (default: http://FICUS_PROXY_HOST:FICUS_PROXY_ADMIN_PORT)')
    .option('--json', 'machine-readable')
    .action(async (o: { adminUrl?: string; json?: boolean }) => {
      const config = readProxyConfig();
      const url = `${o.adminUrl ?? `http://${config.host}:${config.adminPort}`}/routes`;
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization: `Bearer ${config.adminToken}` }, signal: AbortSignal.timeout(5_000) });
      } catch (e) {
        throw new FicusError('PROXY_ADMIN_UNREACHABLE', `cannot reach the proxy admin API at ${url}: ${(e as Error).message}`);
      }
      if (!res.ok) throw new FicusError('PROXY_ADMIN_FAILED', `${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const body = (await res.json()) as RoutesAnswer;
      if (o.json) { console.log(JSON.stringify(body, null, 2)); return; }
      const t = createTable({ head: ['route', 'methods', 'path', 'service', 'flag', 'flag state', 'mode', 'now', 'writes go to', 'safe', 'fallback'] });
      for (const r of body.routes) {
        const state = !r.flagExists ? 'missing' : r.flagEnabled ? 'on' : 'off';
        t.push([r.id, r.methods.join(','), r.path + (r.header ? ` [${r.header.name}=${r.header.value}]` : ''), r.service, r.flag, state,
          r.problem ? `${r.mode} (!)` : r.mode === 'legacy' ? 'legacy' : `${r.mode} ${r.percent}%`, r.effective,
          r.unit ? `${r.owner} (unit ${r.unit}${r.ownerState === 'holding' ? ', HELD: switching' : ''})${r.flagDisagrees ? ' (!)' : ''}` : 'flag',
          r.safe, r.fallbackToLegacy ? 'yes' : 'no']);
      }
      console.log(t.toString());
      const f = body.flags;
      console.log(`flags: ${f.stale ? 'STALE (routes on safe targets)' : 'fresh'}; last sync ${f.lastSyncAt ?? 'never'}; unmatched paths → legacy`);
      for (const r of body.routes.filter((x) => x.problem)) console.log(`(!) ${r.id}: ${r.problem}`);
      for (const r of body.routes.filter((x) => x.flagDisagrees)) {
        console.log(`(!) ${r.id}: flag says ${r.effective} but unit ${r.unit} is owned by ${r.owner}: writes go to ${r.owner}, the flag routes reads only (move writes with \`ficus migrate start\`)`);
      }
    });
};
