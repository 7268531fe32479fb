import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FicusError } from '@ficus/common';
import { loadRouteTable, readProxyConfig, routeWrites } from '@ficus/strangler-proxy';
import { loadMigrationDeclaration, type MigrationDeclaration, type MigrationContext, type ResolvedUnit } from './migration-declaration.ts';
import { tablePairs } from './table-pairs.ts';

/** The route table the proxy runs with, as the context every migration declaration is checked against. */
export const routeContext = (routesFile: string, env: NodeJS.ProcessEnv = process.env): MigrationContext => {
  // only targets and timeout are read here: the caller's own config loader made the production checks
  const proxy = readProxyConfig(env, []);
  const table = loadRouteTable(routesFile, { targets: proxy.targets, timeoutMs: proxy.timeoutMs });
  return { routes: table.routes.map((r) => ({ id: r.id, flag: r.flag, serviceTargetName: r.serviceTargetName, unit: r.unit, writes: routeWrites(r) })) };
};

/**
 * One writer per table, across every declaration (decision 0013): a unit is declared once, a table
 * belongs to one unit, a migration's `writes` names a declared unit, and every write route the route
 * table gives a unit is one of that unit's `writeRoutes`. Fills each config's `writeUnit`.
 */
export const resolveUnits = (configs: MigrationDeclaration[], context?: MigrationContext): MigrationDeclaration[] => {
  const problems: string[] = [];
  const units = new Map<string, ResolvedUnit>();
  const tableOwner = new Map<string, string>();
  for (const c of configs) {
    for (const u of c.units) {
      const before = units.get(u.name);
      if (before) { problems.push(`${c.name}.json: units: unit "${u.name}" is declared in ${before.declaredIn}.json too: declare it once and name it in \`writes.unit\``); continue; }
      for (const t of u.tables) {
        const other = tableOwner.get(t.legacy);
        if (other && other !== u.name) problems.push(`${c.name}.json: units: table "${t.legacy}" is in unit "${u.name}" and in unit "${other}": a table has one writer, so units that write the same table are one unit (decision 0013)`);
        tableOwner.set(t.legacy, u.name);
      }
      const domains = [...new Set(u.tables.map((t) => tablePairs[t.mapping]?.domain).filter((d): d is ResolvedUnit['domains'][number] => d !== undefined))];
      units.set(u.name, { name: u.name, declaredIn: c.name, writeRoutes: [...u.writeRoutes], legacyTables: u.tables.map((t) => t.legacy), domains, quiesce: u.quiesce });
    }
  }
  for (const c of configs) {
    if (c.writes && !units.has(c.writes.unit)) problems.push(`${c.name}.json: writes.unit: no migration declares unit "${c.writes.unit}"; declared: ${[...units.keys()].join(', ') || '(none)'}`);
  }
  if (context) {
    for (const r of context.routes) {
      if (!r.unit || !r.writes) continue;
      const u = units.get(r.unit);
      if (!u) problems.push(`route table: route "${r.id}" writes unit "${r.unit}", which no migration declares`);
      else if (!u.writeRoutes.includes(r.id)) problems.push(`${u.declaredIn}.json: units: unit "${u.name}" does not list route "${r.id}", which writes it (route table)`);
    }
  }
  if (problems.length) throw new FicusError('MIGRATION_CONFIG_INVALID', `invalid migration declaration\n  ${problems.join('\n  ')}`, { status: 400, details: { problems } });
  return configs.map((c) => (c.writes ? { ...c, writeUnit: units.get(c.writes.unit)! } : c));
};

/** Every `*.json` in the migrations folder, validated; the file name must be the migration's name. */
export const loadMigrations = (dir: string, context?: MigrationContext): MigrationDeclaration[] => {
  let files: string[];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort(); } catch (e) {
    throw new FicusError('MIGRATION_CONFIG_INVALID', `cannot read the migrations folder ${dir}: ${(e as Error).message}`);
  }
  return resolveUnits(files.map((f) => {
    const c = loadMigrationDeclaration(join(dir, f), context);
    if (`${c.name}.json` !== f) throw new FicusError('MIGRATION_CONFIG_INVALID', `${join(dir, f)}: name: expected "${f.replace(/\.json$/, '')}" (the file name), found "${c.name}"`);
    return c;
  }), context);
};

export const findMigration = (dir: string, name: string, context?: MigrationContext): MigrationDeclaration => {
  const all = loadMigrations(dir, context);
  const c = all.find((m) => m.name === name);
  if (!c) throw new FicusError('MIGRATION_NOT_FOUND', `no migration "${name}" in ${dir}; known: ${all.map((m) => m.name).join(', ') || '(none)'}`, { status: 404 });
  return c;
};
