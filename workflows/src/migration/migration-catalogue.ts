import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FicusError } from '@ficus/common';
import { loadRouteTable, readProxyConfig } from '@ficus/strangler-proxy';
import { loadMigrationConfig, type MigrationConfig, type MigrationContext } from './migration-config.ts';

/** The route table the proxy runs with, as the context every migration config is checked against. */
export const routeContext = (routesFile: string, env: NodeJS.ProcessEnv = process.env): MigrationContext => {
  const proxy = readProxyConfig(env);
  const table = loadRouteTable(routesFile, { targets: proxy.targets, timeoutMs: proxy.timeoutMs });
  return { routes: table.routes.map((r) => ({ id: r.id, flag: r.flag, serviceTargetName: r.serviceTargetName })) };
};

/** Every `*.json` in the migrations folder, validated; the file name must be the migration's name. */
export const loadMigrations = (dir: string, context?: MigrationContext): MigrationConfig[] => {
  let files: string[];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort(); } catch (e) {
    throw new FicusError('MIGRATION_CONFIG_INVALID', `cannot read the migrations folder ${dir}: ${(e as Error).message}`);
  }
  return files.map((f) => {
    const c = loadMigrationConfig(join(dir, f), context);
    if (`${c.name}.json` !== f) throw new FicusError('MIGRATION_CONFIG_INVALID', `${join(dir, f)}: name: expected "${f.replace(/\.json$/, '')}" (the file name), found "${c.name}"`);
    return c;
  });
};

export const findMigration = (dir: string, name: string, context?: MigrationContext): MigrationConfig => {
  const all = loadMigrations(dir, context);
  const c = all.find((m) => m.name === name);
  if (!c) throw new FicusError('MIGRATION_NOT_FOUND', `no migration "${name}" in ${dir}; known: ${all.map((m) => m.name).join(', ') || '(none)'}`, { status: 404 });
  return c;
};
