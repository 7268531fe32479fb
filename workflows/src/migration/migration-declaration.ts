import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FicusError } from '@ficus/common';
import type { Domain } from '@ficus/cdc';
import { tablePairs, tablePairNames } from './table-pairs.ts';
import { gateMetricsSchema, p99QuerySchema, ratioQuerySchema } from './gates/gate-query-schema.ts';

const name = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lower-case name: letters, digits and dashes, starting with a letter');
const ident = z.string().regex(/^\w{1,64}$/, 'expected a table or database name (letters, digits, underscore)');
const unitName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lower-case unit name of letters, digits, "_" or "-"');
const seconds = z.number().nonnegative().max(7 * 24 * 3600);
const rate = z.number().min(0).max(1);

const stepSchema = z.object({
  percent: z.number().int().min(1).max(100),
  /** How long the step is held while its gates are checked (paused time does not count). */
  holdSeconds: seconds,
  /** The step waits for `ficus migrate approve` before it starts. */
  requiresApproval: z.boolean().default(false),
}).strict();

const gatesSchema = z.object({
  /**
   * Where the metric gates (mismatchRate, errorRate, p99VsLegacy) read: PromQL over every proxy
   * replica (what parsing a declaration without it gives), or one proxy's /metrics (what a run
   * whose input has none does: runs started before it existed). Each of those gates takes a `query` override
   * (`$routes`, `$window`); see gates/gate-queries.ts for the defaults.
   */
  metrics: gateMetricsSchema.optional(),
  /** Shadow mismatch rate (mismatched / compared) over the check window, from the proxy's shadow report. */
  mismatchRate: z.object({ max: rate, minSamples: z.number().int().min(0).default(20), query: ratioQuerySchema.optional() }).strict().optional(),
  /** Service 5xx share of the service's answers over the check window (shadow step: the candidate's failed copies). */
  errorRate: z.object({ max: rate, minRequests: z.number().int().min(0).default(20), query: ratioQuerySchema.optional(), shadowQuery: ratioQuerySchema.optional() }).strict().optional(),
  /** Service p99 must stay under legacy p99 × maxRatio + slackMs over the window (proxy histograms). */
  p99VsLegacy: z.object({ maxRatio: z.number().min(1).max(100), slackMs: z.number().min(0).max(60_000).default(25), minRequests: z.number().int().min(0).default(20), query: p99QuerySchema.optional() }).strict().optional(),
  /** CDC lag of the domain's sync (consumer lag in events, end-to-end lag in seconds). */
  cdcLag: z.object({ maxEvents: z.number().int().min(0).optional(), maxSeconds: z.number().min(0).optional() }).strict().optional(),
  /** Response parity: the same GETs to legacy and the service, compared (works in canary, where nothing is shadowed). */
  probes: z.object({
    paths: z.array(z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/"')).min(1),
    maxMismatchRate: rate.default(0),
    /** Top-level or nested JSON keys left out of the comparison, e.g. "requestId". */
    ignoreKeys: z.array(z.string().min(1)).default([]),
  }).strict().optional(),
  /** Data parity (table verify) before the first step, at the end of each step and around the write cutover. */
  parity: z.object({ maxDifferences: z.number().int().min(0).default(0), atEachStep: z.boolean().default(false) }).strict().optional(),
}).strict();

export const migrationDeclarationSchema = z.object({
  name,
  description: z.string().max(500).optional(),
  /** The extracted service (a proxy target name). */
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** The Unleash flag that sets the routes' mode. */
  flag: z.string().min(1).max(200),
  /** Route ids from the proxy's route table; each must use `flag` and `service`. */
  routes: z.array(z.string().min(1)).min(1),
  databases: z.object({ legacy: ident, service: ident }).strict(),
  /** Table pairs compared and backfilled, each with the CDC mapping that relates them. */
  tables: z.array(z.object({ legacy: ident, service: ident, mapping: z.string() }).strict()).min(1),
  checkIntervalSeconds: z.number().min(0.2).max(3600).default(15),
  shadow: z.object({ percent: z.number().int().min(1).max(100).default(100), holdSeconds: seconds, requiresApproval: z.boolean().default(false) }).strict(),
  canary: z.array(stepSchema).min(1),
  gates: gatesSchema,
  /**
   * Ownership units declared here (decision 0013): tables that move together and the routes that
   * write them. A unit is declared once in the whole catalogue; other migrations name it in `writes`.
   */
  units: z.array(z.object({
    name: unitName,
    /** Route ids whose writes land in the unit's tables; each carries `"unit": "<name>"` in the route table. */
    writeRoutes: z.array(z.string().min(1)).min(1),
    /** The unit's legacy tables, each by the CDC mapping that relates it to its service table. */
    tables: z.array(z.object({ legacy: ident, mapping: z.string() }).strict()).min(1),
    /**
     * Work that writes the unit's tables after its HTTP request answered (a saga past its wait
     * bound): before the owner's position is read, each query must count no row. `side` is the side
     * the writes leave. Example: `{ "side": "service", "database": "orders", "table": "orders",
     * "where": "status = 'pending'", "what": "checkouts still running in a saga" }`.
     */
    quiesce: z.array(z.object({
      side: z.enum(['legacy', 'service']),
      database: z.enum(['legacy', 'catalog', 'inventory', 'orders']),
      table: ident,
      where: z.string().min(1).max(500).refine((w) => !/;|--|\/\*/.test(w), 'expected one SQL condition (no ";" or comments)'),
      what: z.string().min(1).max(200),
    }).strict()).default([]),
  }).strict()).default([]),
  /** The write switch, last step: the unit's writes move to the service (and back on rollback). */
  writes: z.object({
    unit: unitName,
    requiresApproval: z.boolean().default(true),
    /** The switch is refused while the sync towards the new owner is further behind (events). */
    maxLagEvents: z.number().int().min(0).default(1000),
    /** Longest the proxies hold the unit's writes during the switch; past it the switch reverts and retries. */
    holdMs: z.number().int().min(200).max(30_000).default(3000),
    /** A proxy silent longer than this is not waited for (it stops serving the unit's writes after FICUS_PROXY_OWNERSHIP_STALE_MS). */
    proxyLiveMs: z.number().int().min(1000).max(600_000).default(30_000),
  }).strict().optional(),
}).strict().superRefine((c, ctx) => {
  const percents = c.canary.map((s) => s.percent);
  percents.forEach((p, i) => {
    if (i > 0 && p <= percents[i - 1]!) ctx.addIssue({ code: 'custom', path: ['canary', i, 'percent'], message: `expected more than the previous step's ${percents[i - 1]}%, found ${p}%` });
  });
  if (percents[percents.length - 1] !== 100) ctx.addIssue({ code: 'custom', path: ['canary', percents.length - 1, 'percent'], message: `the last step must be 100% (the service serves everyone), found ${percents[percents.length - 1]}%` });
  c.tables.forEach((t, i) => {
    const pair = tablePairs[t.mapping];
    if (!pair) { ctx.addIssue({ code: 'custom', path: ['tables', i, 'mapping'], message: `unknown mapping "${t.mapping}"; known: ${tablePairNames.join(', ')}` }); return; }
    if (pair.legacyTable !== t.legacy) ctx.addIssue({ code: 'custom', path: ['tables', i, 'legacy'], message: `mapping ${t.mapping} reads legacy table "${pair.legacyTable}", found "${t.legacy}"` });
    if (pair.serviceTable !== t.service) ctx.addIssue({ code: 'custom', path: ['tables', i, 'service'], message: `mapping ${t.mapping} writes service table "${pair.serviceTable}", found "${t.service}"` });
  });
  c.units.forEach((u, i) => u.tables.forEach((t, j) => {
    const pair = tablePairs[t.mapping];
    if (!pair) ctx.addIssue({ code: 'custom', path: ['units', i, 'tables', j, 'mapping'], message: `unknown mapping "${t.mapping}"; known: ${tablePairNames.join(', ')}` });
    else if (pair.legacyTable !== t.legacy) ctx.addIssue({ code: 'custom', path: ['units', i, 'tables', j, 'legacy'], message: `mapping ${t.mapping} reads legacy table "${pair.legacyTable}", found "${t.legacy}"` });
  }));
  if (!Object.keys(c.gates).filter((k) => k !== 'metrics').length) ctx.addIssue({ code: 'custom', path: ['gates'], message: 'expected at least one gate (a migration without gates cannot roll back by itself)' });
});

/** One migration as declared in `migrations/<name>.json` (the error code keeps its old name: MIGRATION_CONFIG_INVALID). */
export type MigrationDeclaration = z.infer<typeof migrationDeclarationSchema> & {
  /** The unit `writes` moves, resolved against the whole catalogue (set by loadMigrations). */
  writeUnit?: ResolvedUnit;
};

/** An ownership unit as the switch needs it. */
export interface ResolvedUnit {
  name: string;
  /** The migration that declares it. */
  declaredIn: string;
  writeRoutes: string[];
  legacyTables: string[];
  /** CDC domains of its tables: their sync directions turn with the owner. */
  domains: Domain[];
  quiesce: QuiesceCheck[];
}

/** Work on one side that must have finished before writes leave that side: a count of rows that must reach zero (`units[].quiesce`). */
export type QuiesceCheck = MigrationDeclaration['units'][number]['quiesce'][number];

/** What a declaration is checked against: the proxy's route table. */
export interface MigrationContext {
  routes: ReadonlyArray<{ id: string; flag: string; serviceTargetName: string; unit?: string; writes?: boolean }>;
}

/**
 * Parses a migration declaration. Every mistake is one line: `<source>: <path>: <what was expected>`,
 * all of them at once, and nothing starts (MIGRATION_CONFIG_INVALID).
 */
export const parseMigrationDeclaration = (raw: unknown, source: string, context?: MigrationContext): MigrationDeclaration => {
  const r = migrationDeclarationSchema.safeParse(raw);
  const problems = r.success ? [] : r.error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  if (r.success && context) {
    const c = r.data;
    c.routes.forEach((id, i) => {
      const route = context.routes.find((x) => x.id === id);
      if (!route) { problems.push(`${source}: routes.${i}: unknown route "${id}"; the route table has ${context.routes.map((x) => x.id).join(', ')}`); return; }
      if (route.flag !== c.flag) problems.push(`${source}: routes.${i}: route "${id}" is switched by flag "${route.flag}", not the migration's flag "${c.flag}"`);
      if (route.serviceTargetName !== c.service) problems.push(`${source}: routes.${i}: route "${id}" goes to service "${route.serviceTargetName}", not "${c.service}"`);
    });
  }
  if (r.success && context) {
    r.data.units.forEach((u, i) => u.writeRoutes.forEach((id, j) => {
      const route = context.routes.find((x) => x.id === id);
      if (!route) problems.push(`${source}: units.${i}.writeRoutes.${j}: unknown route "${id}"`);
      else if (route.unit !== u.name) problems.push(`${source}: units.${i}.writeRoutes.${j}: route "${id}" must carry "unit": "${u.name}" in the route table (it has ${route.unit ? `"${route.unit}"` : 'none'}): the proxy sends a write to its unit's owner only when it knows the unit`);
    }));
  }
  if (problems.length) {
    throw new FicusError('MIGRATION_CONFIG_INVALID', `invalid migration declaration\n  ${problems.join('\n  ')}`, { status: 400, details: { source, problems } });
  }
  const c = r.data!;
  c.gates.metrics ??= { source: 'promql', minWindowSeconds: 10 };
  return c;
};

/** Reads and parses one migration declaration (a JSON file). */
export const loadMigrationDeclaration = (file: string, context?: MigrationContext): MigrationDeclaration => {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) {
    throw new FicusError('MIGRATION_CONFIG_INVALID', `cannot read migration declaration ${file}: ${(e as Error).message}`, { status: 400 });
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    throw new FicusError('MIGRATION_CONFIG_INVALID', `${file}: not valid JSON: ${(e as Error).message}`, { status: 400 });
  }
  return parseMigrationDeclaration(raw, file, context);
};
