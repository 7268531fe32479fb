// @ts-check
// Package boundaries (docs/decisions/0017-package-boundaries.md). Run through scripts/check-boundaries.ts
// (`npm run lint:deps`, `./ficus test`), which adds the package-cycle rule.
import { escapeRegExp, exportTargets, testCode, workspaces } from './scripts/package-boundaries.ts';
import { join } from 'node:path';

const packageDirs = `(${workspaces.map((w) => escapeRegExp(w.dir)).join('|')})`;
/** The files other packages may import: the targets of each package.json "exports". */
const exportedFiles = workspaces.flatMap(({ dir, exports }) => exportTargets(exports).map((target) => `^${escapeRegExp(join(dir, target))}$`));
const services = '(legacy-monolith|extracted-services/[^/]+)';
/** The services' and the monolith's contracts: their "./api" exports. */
const apiFiles = workspaces.filter((w) => new RegExp(`^${services}$`).test(w.dir))
  .flatMap(({ dir, exports }) => exportTargets(typeof exports === 'object' ? exports['./api'] : undefined).map((target) => `^${escapeRegExp(join(dir, target))}$`));

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-relative-import-across-packages',
      comment: 'another package is reached by its name (@ficus/…) and its package.json "exports", never by a relative path into its folder',
      severity: 'error',
      from: { path: `^(${packageDirs}|[^/]+)/` },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased-workspace'], path: `^${packageDirs}/`, pathNot: ['^$1/'] },
    },
    {
      name: 'only-through-exports',
      comment: 'a package is imported only through a file its package.json "exports" declares',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['aliased-workspace'], pathNot: exportedFiles },
    },
    {
      name: 'services-meet-only-through-api',
      comment: 'the services and the monolith reach each other only through the other side\'s "./api" export (its contract), never its app, store or config',
      severity: 'error',
      from: { path: `^${services}/`, pathNot: testCode },
      to: { path: `^${services}/`, pathNot: ['^$1/', ...apiFiles] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-package',
      comment: 'a package imported from code must be in the nearest package.json (knip checks the same per workspace)',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'production-not-to-dev-dependency',
      comment: 'production code must not need a devDependency: a production install would not have it',
      severity: 'error',
      from: { path: `^${packageDirs}/`, pathNot: testCode },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // the cockpit's page is browser code served from /vendor; docs are not code
    exclude: { path: ['(^|/)node_modules/', '^\\.ficus/', '^\\.git/', '^stack/unleash/', '^cockpit/web/', '^docs/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['main', 'types'] },
    skipAnalysisNotInRules: true,
  },
};
