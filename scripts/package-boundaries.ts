// The facts the boundary rules are written over: the workspace packages (from the root package.json) and
// what counts as test code. Shared by .dependency-cruiser.js and scripts/check-boundaries.ts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

type Exports = string | { [subpath: string]: Exports } | undefined;
export interface Workspace { dir: string; exports: Exports }

/** Every workspace folder (`extracted-services/*` expanded to the folders with a package.json). */
export const workspaces: Workspace[] = (readJson('package.json').workspaces as string[]).flatMap((pattern) => pattern.endsWith('/*')
  ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, pattern.slice(0, -2), d.name, 'package.json')))
    .map((d) => `${pattern.slice(0, -2)}/${d.name}`)
  : [pattern]).map((dir) => ({ dir, exports: readJson(`${dir}/package.json`).exports as Exports }));

/** Tests, test helpers and benches: they may start other packages and use devDependencies. */
export const testCode = ['\\.test\\.ts$', '/testing/', '^(test|bench)/', '^extracted-services/contract-tests/', '^[^/]+\\.c?js$'];

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The files an "exports" field names (all conditions, all subpaths). */
export const exportTargets = (exports: Exports): string[] =>
  typeof exports === 'string' ? [exports] : Object.values(exports ?? {}).flatMap(exportTargets);
