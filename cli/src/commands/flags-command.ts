import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { FicusError, productionSettings } from '@ficus/common';
import { createUnleashAdmin, isMode, loadRouteTable, modes, readProxyConfig, routeOnlyWrites, routeWrites } from '@ficus/strangler-proxy';

const adminFor = (environment: string) => {
  // an operator's command: production mode checks what it uses (the Unleash admin token), not the proxy's own secrets
  const config = readProxyConfig(process.env, [productionSettings.unleashAdminToken]);
  return { config, admin: createUnleashAdmin({ url: config.unleash.url, adminToken: config.unleash.adminToken, environment }) };
};

export interface SyncedFlag { flag: string; routes: string[]; created: boolean; strategyAdded: boolean; mode: string }

/**
 * Makes sure every flag the route table names exists in Unleash (off, with the shadow strategy),
 * reading first: `ficus flags sync` and `ficus demo` (so the README's first `flags set` finds its flag).
 */
export const syncRouteFlags = async (environment = 'development', routesFile?: string): Promise<SyncedFlag[]> => {
  const { config, admin } = adminFor(environment);
  const table = loadRouteTable(routesFile ?? config.routesFile, { targets: config.targets, timeoutMs: config.timeoutMs });
  const rows: SyncedFlag[] = [];
  for (const flag of table.flags) {
    const routes = table.routes.filter((r) => r.flag === flag).map((r) => r.id);
    const r = await admin.ensureFlag(flag, `Strangler proxy mode for routes: ${routes.join(', ')}`);
    const s = await admin.flagState(flag);
    rows.push({ flag, routes, created: r.created, strategyAdded: r.strategyAdded, mode: s.enabled ? `${s.mode} ${s.percent}%` : 'legacy (off)' });
  }
  return rows;
};

/** `ficus flags`: the Unleash flags that set each proxy route's mode (see docs/components/strangler-proxy.md). */
export const registerFlags = (program: Command): void => {
  const flags = program.command('flags').description('Unleash flags behind the strangler proxy routes');

  flags.command('sync')
    .description('create every flag the route table names, off and carrying a shadow strategy (idempotent: reads first)')
    .option('--routes <file>', 'route table (default: FICUS_PROXY_ROUTES_FILE or strangler-proxy/routes.json)')
    .option('--environment <env>', 'Unleash environment', 'development')
    .option('--json', 'machine-readable')
    .action(async (o: { routes?: string; environment: string; json?: boolean }) => {
      const rows = await syncRouteFlags(o.environment, o.routes);
      if (o.json) { console.log(JSON.stringify(rows, null, 2)); return; }
      const t = createTable({ head: ['flag', 'routes', 'created', 'strategy', 'mode now'] });
      for (const r of rows) t.push([r.flag, r.routes.join(', '), r.created ? 'created' : 'existed', r.strategyAdded ? 'added' : 'kept', r.mode]);
      console.log(t.toString());
    });

  flags.command('set')
    .description('set a route flag\'s mode: legacy turns it off; shadow/canary/service make the mode strategy the only one and turn it on')
    .argument('<flag>', 'flag name')
    .argument('<mode>', modes.join(' | '))
    .option('--percent <n>', 'rollout: canary share of users, shadow sampling share (default 100)', '100')
    .option('--environment <env>', 'Unleash environment', 'development')
    .option('--routes <file>', 'route table (default: FICUS_PROXY_ROUTES_FILE or strangler-proxy/routes.json)')
    .action(async (flag: string, mode: string, o: { percent: string; environment: string; routes?: string }) => {
      if (!isMode(mode)) throw new FicusError('FLAG_MODE_INVALID', `expected a mode (${modes.join(', ')}), got "${mode}"`);
      const { admin, config } = adminFor(o.environment);
      // Writes follow write ownership, never a flag (docs/components/write-ownership.md): a flag that
      // only switches writes of an ownership unit would change nothing, so it is refused with the
      // command that does move writes.
      const table = loadRouteTable(o.routes ?? config.routesFile, { targets: config.targets, timeoutMs: config.timeoutMs });
      const routes = table.routes.filter((r) => r.flag === flag);
      if (mode !== 'legacy' && routes.length > 0 && routes.every((r) => r.unit !== undefined && routeOnlyWrites(r))) {
        const units = [...new Set(routes.map((r) => r.unit))].join(', ');
        throw new FicusError('FLAG_ROUTES_WRITE_OWNED', `${flag} switches only writes of ownership unit ${units} (routes ${routes.map((r) => r.id).join(', ')}), and writes always go to the unit's owner whatever a flag says. Move them with the migration that switches the unit: \`ficus migrate list\`, then \`ficus migrate start <name>\` (its write switch holds the writes, drains the sync and flips the owner).`);
      }
      await admin.setMode(flag, mode, Number(o.percent));
      const s = await admin.flagState(flag);
      console.log(`${flag}: ${s.mode}${s.mode === 'legacy' ? '' : ` ${s.percent}%`} (the proxy follows within about 2 s)`);
      const owned = routes.filter((r) => r.unit && routeWrites(r) && !routeOnlyWrites(r));
      if (owned.length) console.log(`note: writes of ${owned.map((r) => r.id).join(', ')} go to the owner of unit ${[...new Set(owned.map((r) => r.unit))].join(', ')} whatever this flag says; it routes their reads`);
    });
};
