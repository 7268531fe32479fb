import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const skipped = new Set(['node_modules', '.git', '.ficus', 'stack']);
/** A knex schema file: knex records it by this name, so it never changes once shipped. */
const schemaFile = /^\d{14}_[a-z0-9_]+\.ts$/;

const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  if (e.isDirectory()) return skipped.has(e.name) ? [] : walk(join(dir, e.name));
  return [join(dir, e.name)];
});

// decision 0019: "migration" is a route migration; a database's schema lives in the package that owns it
describe('schema ownership (decision 0019)', () => {
  const files = walk(root).map((f) => relative(root, f).split(sep).join('/'));

  it('keeps every knex schema file in a schema/ folder under its package\'s src/', () => {
    const schemaFiles = files.filter((f) => schemaFile.test(f.split('/').at(-1)!));
    expect(schemaFiles.length).to.be.greaterThan(10);
    const misplaced = schemaFiles.filter((f) => !/^(legacy-monolith|extracted-services\/[a-z-]+|cdc|common|strangler-proxy|workflows)\/src\/(.+\/)?schema\/(.+\/)?[^/]+$/.test(f));
    expect(misplaced, 'schema files outside a package\'s src/…/schema/').to.deep.equal([]);
    for (const owner of ['legacy-monolith/src/db/schema/', 'extracted-services/catalog/src/db/schema/', 'extracted-services/inventory/src/db/schema/',
      'extracted-services/orders/src/db/schema/', 'extracted-services/payments/src/db/schema/', 'cdc/src/provision/schema/', 'strangler-proxy/src/shadow/schema/',
      'workflows/src/migration/state/schema/', 'common/src/ownership/schema/']) {
      expect(schemaFiles.some((f) => f.startsWith(owner)), `no schema file in ${owner}`).to.equal(true);
    }
  });

  // issue 21: no process creates a table at run time, each comes from its package's schema files
  it('creates tables only in schema files, never in code that runs', () => {
    const ddl = /CREATE\s+TABLE|schema\s*\.\s*createTable(IfNotExists)?\s*\(/;
    const code = files.filter((f) => /^[a-z-]+(\/[a-z-]+)?\/src\/.+\.ts$/.test(f) && !f.endsWith('.test.ts') && !/\/schema\//.test(f));
    expect(code.length).to.be.greaterThan(100);
    expect(code.filter((f) => ddl.test(readFileSync(join(root, f), 'utf8'))), 'table definitions outside a schema/ folder').to.deep.equal([]);
  });

  it('keeps only migration declarations (and their README) in the top-level migrations/', () => {
    const top = files.filter((f) => f.startsWith('migrations/'));
    expect(top).to.include('migrations/README.md');
    expect(top.filter((f) => f !== 'migrations/README.md' && !/^migrations\/[a-z][a-z0-9-]*\.json$/.test(f))).to.deep.equal([]);
    expect(top.filter((f) => f.endsWith('.json'))).to.have.length.greaterThan(0);
  });
});
