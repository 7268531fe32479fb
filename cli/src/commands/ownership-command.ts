import { InvalidArgumentError, type Command } from 'commander';
import { createTable } from '../output/table.ts';
import { FicusError, openOwnershipStore, ownershipDatabaseOf, provisionOwnership, readStackEnv } from '@ficus/common';
import { loadMigrations } from '@ficus/workflows';
import { context, temporal, who } from './migrate-command.ts';

const side = (v: string) => { if (v !== 'legacy' && v !== 'service') throw new InvalidArgumentError('expected legacy or service'); return v; };

/** `ficus ownership`: who owns each unit's writes, the proxies that follow it, and the switch on its own. */
export const registerOwnership = (program: Command): void => {
  const o = program.command('ownership').description('write ownership: which side owns each unit\'s writes (docs/components/write-ownership.md)');

  o.command('status')
    .description('every declared unit, its owner and state, the proxies following it, the last switches')
    .option('--json', 'machine-readable')
    .action(async (opts: { json?: boolean }) => {
      const { config, routes } = context();
      const units = new Map(loadMigrations(config.migrationsDir, routes).flatMap((m) => (m.writeUnit ? [[m.writeUnit.name, m.writeUnit] as const] : [])));
      let store;
      try {
        // an operator tool with the admin connection: it brings the schema it reads up to date first (decision 0018, 9)
        await provisionOwnership(readStackEnv(), ownershipDatabaseOf());
        store = await openOwnershipStore(readStackEnv(), ownershipDatabaseOf());
      } catch (e) {
        throw new FicusError('STACK_UNAVAILABLE', `cannot read write ownership from MariaDB (${(e as Error).message}); is the stack up? ./ficus stack up`, { retriable: true });
      }
      try {
        const [all, proxies, log] = await Promise.all([store.all(), store.proxies(), store.log(undefined, 10)]);
        const rows = [...units.values()].map((u) => {
          const s = all.find((x) => x.unit === u.name);
          return { unit: u.name, owner: s?.owner ?? 'legacy', state: s?.state ?? 'steady', version: s?.version ?? 0, by: s?.by ?? 'default', tables: u.legacyTables, writeRoutes: u.writeRoutes };
        });
        if (opts.json) { console.log(JSON.stringify({ units: rows, proxies, log }, null, 2)); return; }
        const t = createTable({ head: ['unit', 'owner', 'state', 'version', 'write routes', 'tables'] });
        for (const r of rows) t.push([r.unit, r.owner, r.state, r.version, r.writeRoutes.join(', '), r.tables.join(', ')]);
        console.log(t.toString());
        const now = Date.now();
        const p = createTable({ head: ['proxy', 'last report', 'versions seen', 'writes in flight'] });
        for (const x of proxies) p.push([x.proxyId, `${Math.round((now - x.heartbeatAt) / 1000)} s ago`, JSON.stringify(x.seen), JSON.stringify(x.inflight)]);
        console.log(p.toString());
        for (const l of log) console.log(`${new Date(l.at).toISOString()}  ${l.unit} v${l.version} ${l.owner} ${l.state}  ${l.note}  (${l.by})`);
      } finally { await store.knex.destroy(); }
    });

  o.command('switch').argument('<unit>').description('move a unit\'s writes (the migration\'s write switch on its own; rollback: --to legacy): hold, drain, flip, release')
    .requiredOption('--to <side>', 'legacy | service', side)
    .option('--hold-ms <ms>', 'longest the proxies hold the writes', '3000')
    .option('--max-lag-events <n>', 'refuse while the sync is further behind', '1000')
    .action(async (unit: string, opts: { to: 'legacy' | 'service'; holdMs: string; maxLagEvents: string }) => {
      const { config, routes } = context();
      const u = loadMigrations(config.migrationsDir, routes).find((m) => m.writeUnit?.name === unit)?.writeUnit;
      if (!u) throw new FicusError('OWNERSHIP_UNIT_UNKNOWN', `no migration declares unit "${unit}" (ficus ownership status lists them)`, { status: 404 });
      const holdMs = Number(opts.holdMs);
      const maxLagEvents = Number(opts.maxLagEvents);
      if (!Number.isInteger(holdMs) || holdMs < 200 || holdMs > 30_000) throw new FicusError('OWNERSHIP_SWITCH_INVALID', '--hold-ms: expected 200 to 30000');
      if (!Number.isInteger(maxLagEvents) || maxLagEvents < 0) throw new FicusError('OWNERSHIP_SWITCH_INVALID', '--max-lag-events: expected a whole number ≥ 0');
      const { client, close } = await temporal(config);
      try {
        const out = await client.switchOwnership({ unit, to: opts.to, domains: u.domains, maxLagEvents, holdMs, proxyLiveMs: 30_000, quiesce: u.quiesce, by: who() });
        console.log(out.result === 'already' ? `unit ${unit} was already owned by ${opts.to}` : `unit ${unit}: ${out.from} → ${out.to}; writes held ${out.heldMs} ms; sync drained to ${out.position}`);
        for (const s of out.steps) console.log(`  ${s.step}: ${s.ms} ms`);
      } finally { await close(); }
    });
};
