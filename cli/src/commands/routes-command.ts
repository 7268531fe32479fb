import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { FicusError, readStackEnv } from '@ficus/common';
import { proxyAdminConfig } from './proxy-admin-config.ts';
import { fleetProblems, type ReplicaRoutes, type RoutesAnswer } from '../fleet/route-agreement.ts';
import { proxyReplicaAdminUrls } from '../fleet/proxy-replicas.ts';

const collect = (v: string, all: string[]) => [...all, v];

/** One replica's /routes, or why not (a replica down is part of the answer, not a failure of the command). */
const fetchRoutes = async (url: string, token: string): Promise<ReplicaRoutes> => {
  try {
    const res = await fetch(`${url}/routes`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return { url, error: `answered ${res.status}: ${(await res.text()).slice(0, 200)}` };
    return { url, answer: (await res.json()) as RoutesAnswer };
  } catch (e) {
    return { url, error: `unreachable: ${(e as Error).message}` };
  }
};

/**
 * `ficus routes`: what the running proxy does with each route now, from its admin API. With several
 * replicas (named, FICUS_PROXY_ADMIN_URLS, or the ones running here) it asks each and says where
 * they differ: a replica on stale flags keeps routing the old way while the others moved.
 */
export const registerRoutes = (program: Command): void => {
  program.command('routes')
    .description('the running strangler proxy\'s routes with their mode and flag state, checked across its replicas (admin API)')
    .option('--admin-url <url>', 'a proxy replica\'s admin API; repeat for several (default: FICUS_PROXY_ADMIN_URLS, else the replicas running here, else http://FICUS_PROXY_HOST:FICUS_PROXY_ADMIN_PORT)', collect, [])
    .option('--json', 'machine-readable')
    .action(async (o: { adminUrl: string[]; json?: boolean }) => {
      const config = proxyAdminConfig();
      const { urls, from } = proxyReplicaAdminUrls({ named: o.adminUrl, env: process.env, targetsDir: readStackEnv().FICUS_SCRAPE_TARGETS_DIR, configured: `http://${config.host}:${config.adminPort}` });
      const replicas = await Promise.all(urls.map((u) => fetchRoutes(u, config.adminToken)));
      const first = replicas.find((r) => r.answer);
      if (!first?.answer) {
        const r = replicas[0]!;
        if (replicas.length === 1 && r.error?.startsWith('answered')) throw new FicusError('PROXY_ADMIN_FAILED', `${r.url}/routes ${r.error}`);
        throw new FicusError('PROXY_ADMIN_UNREACHABLE', `no proxy admin API answered (${from}): ${replicas.map((x) => `${x.url}: ${x.error}`).join('; ')}`);
      }
      const body = first.answer;
      const problems = fleetProblems(replicas);
      if (o.json) {
        console.log(JSON.stringify({ ...body, fleet: { from, replicas: replicas.map((r) => ({ url: r.url, answered: !!r.answer, ...(r.error ? { error: r.error } : {}) })), problems } }, null, 2));
        if (problems.length) process.exitCode = 1;
        return;
      }
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
      console.log(`replicas (${from}): ${replicas.length === 1 ? first.url : `${replicas.filter((r) => r.answer).length} of ${replicas.length} answered; the table is ${first.url}'s`}${problems.length ? '' : replicas.length > 1 ? '; they agree' : ''}`);
      for (const p of problems) console.log(`(!) ${p}`);
      // the table printed, but the fleet is not of one mind: a script can tell
      if (problems.length) process.exitCode = 1;
    });
};
