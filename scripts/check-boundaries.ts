// The package-boundary check (`npm run lint:deps`, run by `./ficus test`): dependency-cruiser's rules from
// .dependency-cruiser.js over every module, then one rule dependency-cruiser cannot express, because its
// cycle rules work on modules and folders: no cycle between workspace packages in production code.
// docs/decisions/0017-package-boundaries.md says why.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { format, type ICruiseResult } from 'dependency-cruiser';
import { testCode, workspaces } from './package-boundaries.ts';

const root = join(import.meta.dirname, '..');
const cruised = spawnSync(join(root, 'node_modules/.bin/depcruise'), ['--config', '.dependency-cruiser.js', '--output-type', 'json', '.'], {
  cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
});
if (cruised.status === null || !cruised.stdout) {
  console.error(`check-boundaries: depcruise did not run: ${cruised.error?.message ?? cruised.stderr}`);
  process.exit(2);
}
const result = JSON.parse(cruised.stdout) as ICruiseResult;

const rules = await format(result, { outputType: 'err' });
if (rules.output) process.stdout.write(String(rules.output));

// --- no cycle between packages (production code; a test may start a package that depends on its own) ---
const dirs = workspaces.map((w) => w.dir).sort((a, b) => b.length - a.length);
const packageOf = (path: string): string | undefined => dirs.find((d) => path.startsWith(`${d}/`));
const isTestCode = (path: string) => testCode.some((pattern) => new RegExp(pattern).test(path));

/** package → package it imports → one import that makes the edge (for the message). */
const edges = new Map<string, Map<string, string>>();
for (const m of result.modules) {
  const from = packageOf(m.source);
  if (!from || isTestCode(m.source)) continue;
  for (const d of m.dependencies) {
    const to = packageOf(d.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${m.source} → ${d.resolved}`);
  }
}

// Tarjan's strongly connected components: every component of more than one package is a cycle.
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const cycles: string[][] = [];
let next = 0;
const visit = (p: string): void => {
  index.set(p, next); low.set(p, next); next += 1; stack.push(p);
  for (const q of edges.get(p)?.keys() ?? []) {
    if (!index.has(q)) { visit(q); low.set(p, Math.min(low.get(p)!, low.get(q)!)); }
    else if (stack.includes(q)) low.set(p, Math.min(low.get(p)!, index.get(q)!));
  }
  if (low.get(p) === index.get(p)) {
    const component: string[] = [];
    let q: string;
    do { q = stack.pop()!; component.push(q); } while (q !== p);
    if (component.length > 1) cycles.push(component.sort());
  }
};
for (const p of dirs) if (!index.has(p)) visit(p);

for (const component of cycles) {
  console.log(`\n  error no-package-cycle: ${component.join(' ⇄ ')}`);
  for (const from of component) {
    for (const [to, example] of edges.get(from) ?? []) if (component.includes(to)) console.log(`    ${from} → ${to}: ${example}`);
  }
}
if (!rules.exitCode && !cycles.length) console.log(`check-boundaries: ${result.summary.totalCruised} modules: no rule broken, no package cycle`);
process.exit(rules.exitCode || cycles.length ? 1 : 0);
