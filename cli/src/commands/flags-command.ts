import type { Command } from 'commander';
import Table from 'cli-table3';
import { FicusError } from '@ficus/common';
import { createUnleashAdmin, isMode, loadRouteTable, modes, readProxyConfig } from '@ficus/strangler-proxy';

const adminFor = (environment: string) => {
  const config = readProxyConfig();
  return { config, admin: createUnleashAdmin({ url: config.unleash.url, adminToken: config.unleash.adminToken, environment }) };
};

/** `ficus flags`: the Unleash flags that set each proxy route's mode (see docs/components/strangler-proxy.md). */
export const registerFlags = (program: Command): void => {
  const flags = program.command('flags').description('Unleash flags behind the strangler proxy routes');

  flags.command('sync')
    .description('create every flag the route table names, off and carrying a shadow strategy (idempotent: reads first)')
    .option('--routes <file>', 'route table (default: FICUS_PROXY_ROUTES_FILE or strangler-proxy/routes.json)')
    .option('--environment <env>', 'Unleash environment', 'development')
    .action(async (o: { routes?: string; environment: string }) => {
      const { config, admin } = adminFor(o.environment);
      const table = loadRouteTable(o.routes ?? config.routesFile, { targets: config.targets, timeoutMs: config.timeoutMs });
      const t = new Table({ head: ['flag', 'routes', 'created', 'strategy', 'mode now'] });
      for (const flag of table.flags) {
        const routes = table.routes.filter((r) => r.flag === flag).map((r) => r.id);
        const r = await admin.ensureFlag(flag, `Strangler proxy mode for routes: ${routes.join(', ')}`);
        const s = await admin.flagState(flag);
        t.push([flag, routes.join(', '), r.created ? 'created' : 'existed', r.strategyAdded ? 'added' : 'kept', s.enabled ? `${s.mode} ${s.percent}%` : 'legacy (off)']);
      }
      console.log(t.toString());
    });

  flags.command('set')
    .description('set a route flag\'s mode: legacy turns it off; shadow/canary/service make the mode strategy the only one and turn it on')
    .argument('<flag>', 'flag name')
    .argument('<mode>', modes.join(' | '))
    .option('--percent <n>', 'rollout: canary share of users, shadow sampling share (default 100)', '100')
    .option('--environment <env>', 'Unleash environment', 'development')
    .action(async (flag: string, mode: string, o: { percent: string; environment: string }) => {
      if (!isMode(mode)) throw new FicusError('FLAG_MODE_INVALID', `expected a mode (${modes.join(', ')}), got "${mode}"`);
      const { admin } = adminFor(o.environment);
      await admin.setMode(flag, mode, Number(o.percent));
      const s = await admin.flagState(flag);
      console.log(`${flag}: ${s.mode}${s.mode === 'legacy' ? '' : ` ${s.percent}%`} (the proxy follows within about 2 s)`);
    });
};
