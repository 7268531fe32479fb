import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMigration, loadMigrations, routeContext } from './migration-catalogue.ts';
import { defaultMigrationsDirectory, loadMigrationWorkerConfig } from './migration-worker-config.ts';

describe('migration catalogue: the declarations in migrations/', () => {
  const { routesFile } = loadMigrationWorkerConfig({});
  const context = routeContext(routesFile, {});

  it('is the top-level migrations/ folder by default, and its reference declarations pass against the proxy\'s route table', () => {
    expect(defaultMigrationsDirectory).to.equal(join(import.meta.dirname, '../../../migrations'));
    const all = loadMigrations(defaultMigrationsDirectory, context);
    expect(all.map((m) => m.name)).to.deep.equal(['catalog', 'inventory', 'orders']);
    expect(all.map((m) => m.writeUnit?.name)).to.deep.equal(['shop', 'shop', 'shop']);
  });

  it('refuses a declaration whose file name is not its name, and names an unknown migration with the known ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ficus-declarations-'));
    try {
      copyFileSync(join(defaultMigrationsDirectory, 'orders.json'), join(dir, 'orders.json'));
      expect(() => findMigration(dir, 'catalog', context)).to.throw(/no migration "catalog" in .*; known: orders/)
        .with.property('code', 'MIGRATION_NOT_FOUND');
      copyFileSync(join(defaultMigrationsDirectory, 'catalog.json'), join(dir, 'shop.json'));
      expect(() => loadMigrations(dir, context)).to.throw(/shop\.json: name: expected "shop" \(the file name\), found "catalog"/)
        .with.property('code', 'MIGRATION_CONFIG_INVALID');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
