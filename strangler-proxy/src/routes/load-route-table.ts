import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FicusError } from '@ficus/common/core';
import { compilePathPattern, pathPatternProblem } from './path-pattern.ts';
import type { Route, RouteTable } from './route-table.ts';

/** Methods the proxy forwards; anything else is refused at the front (501). */
export const proxiedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const methodSchema = z.enum(proxiedMethods, { error: `expected one of ${proxiedMethods.join(', ')} (upper case)` });

/** The shape of one entry in `routes.json`; see docs/components/strangler-proxy.md for an example. */
export const routeEntrySchema = z.strictObject({
  id: z.string({ error: 'expected a string id' }).regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'expected a lower-case id of letters, digits, ".", "_" or "-" (max 80)'),
  method: z.union([z.literal('*'), methodSchema, z.array(methodSchema).min(1, 'expected at least one method')], {
    error: `expected "*", one of ${proxiedMethods.join(', ')}, or a list of them`,
  }),
  path: z.string({ error: 'expected a path pattern string' }).superRefine((p, ctx) => {
    const problem = pathPatternProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  header: z.strictObject({
    name: z.string().regex(token, 'expected an HTTP header name').transform((s) => s.toLowerCase()),
    value: z.string(),
  }).optional(),
  legacy: z.string().min(1).default('legacy'),
  service: z.string({ error: 'expected the name of a service target (e.g. "catalog")' }).min(1),
  flag: z.string({ error: 'expected the Unleash flag name' }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected an Unleash flag name (letters, digits, ".", "_", "-")'),
  safe: z.enum(['legacy', 'service'], { error: 'expected "legacy" or "service"' }).default('legacy'),
  fallbackToLegacy: z.boolean({ error: 'expected true or false' }).default(true),
  timeoutMs: z.number({ error: 'expected milliseconds as a number' }).int('expected whole milliseconds').min(1, 'expected at least 1 ms').max(600_000, 'expected at most 600000 ms').optional(),
  mirrorWrites: z.boolean({ error: 'expected true or false' }).default(false),
  /**
   * The ownership unit whose tables this route writes (docs/components/write-ownership.md). Its
   * writes (any method but GET, HEAD, OPTIONS) go to the unit's owner whatever the flag says.
   * Example: `"unit": "shop"`.
   */
  unit: z.string({ error: 'expected an ownership unit name' }).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lower-case unit name of letters, digits, "_" or "-" (max 64)').optional(),
  description: z.string().optional(),
});
export type RouteEntry = z.input<typeof routeEntrySchema>;

export const routeFileSchema = z.strictObject({
  $schema: z.string().optional(),
  routes: z.array(z.unknown(), { error: 'expected "routes": [ … ]' }),
});

export interface RouteTableOptions {
  /** Target name → origin, from the config. */
  targets: Readonly<Record<string, string>>;
  /** Default timeout for entries without `timeoutMs`. */
  timeoutMs: number;
}

const entryLabel = (i: number, raw: unknown): string => {
  const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? ` (id "${(raw as { id: string }).id}")` : '';
  return `routes[${i}]${id}`;
};

const invalid = (source: string, problems: string[]) =>
  new FicusError('ROUTE_TABLE_INVALID', `invalid route table\n  ${problems.join('\n  ')}`, { details: { source, problems } });

/**
 * Validates and compiles a route table. Throws ROUTE_TABLE_INVALID with one line per mistake:
 * `<source>: routes[2] (id "x"): method: expected …`.
 */
export const buildRouteTable = (input: unknown, source: string, options: RouteTableOptions): RouteTable => {
  const file = routeFileSchema.safeParse(input);
  if (!file.success) throw invalid(source, file.error.issues.map((i) => `${source}: ${i.path.join('.') || '(root)'}: ${i.message}`));
  const problems: string[] = [];
  const routes: Route[] = [];
  const seenIds = new Map<string, number>();
  const seenKeys = new Map<string, number>();
  const legacyTarget = options.targets.legacy;
  if (!legacyTarget) problems.push(`${source}: the config has no "legacy" target (unmatched paths need it)`);
  file.data.routes.forEach((raw, i) => {
    const where = `${source}: ${entryLabel(i, raw)}`;
    const parsed = routeEntrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? issue.path.join('.') : '(entry)';
        const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
        problems.push(`${where}: ${field}: ${message}`);
      }
      return;
    }
    const e = parsed.data;
    const before = seenIds.get(e.id);
    if (before !== undefined) problems.push(`${where}: id: expected a unique id, "${e.id}" is also routes[${before}]`);
    seenIds.set(e.id, i);
    const legacy = options.targets[e.legacy];
    const service = options.targets[e.service];
    const known = Object.keys(options.targets).join(', ');
    if (!legacy) problems.push(`${where}: legacy: expected a known target (${known}), found "${e.legacy}"`);
    if (!service) problems.push(`${where}: service: expected a known target (${known}), found "${e.service}"`);
    const methods = e.method === '*' ? undefined : new Set(Array.isArray(e.method) ? e.method : [e.method]);
    const key = `${methods ? [...methods].sort().join(',') : '*'} ${e.path} ${e.header ? `${e.header.name}=${e.header.value}` : ''}`;
    const dup = seenKeys.get(key);
    if (dup !== undefined) problems.push(`${where}: expected a method/path/header different from routes[${dup}] (this entry could never match)`);
    seenKeys.set(key, i);
    if (!legacy || !service) return;
    routes.push(Object.freeze({
      id: e.id,
      methods,
      path: e.path,
      pathRegExp: compilePathPattern(e.path),
      header: e.header ? Object.freeze({ ...e.header }) : undefined,
      legacyTarget: legacy,
      serviceTarget: service,
      legacyTargetName: e.legacy,
      serviceTargetName: e.service,
      flag: e.flag,
      safe: e.safe,
      fallbackToLegacy: e.fallbackToLegacy,
      timeoutMs: e.timeoutMs ?? options.timeoutMs,
      mirrorWrites: e.mirrorWrites,
      unit: e.unit,
    }));
  });
  if (problems.length) throw invalid(source, problems);
  return Object.freeze({
    routes: Object.freeze(routes),
    flags: Object.freeze([...new Set(routes.map((r) => r.flag))]),
    units: Object.freeze([...new Set(routes.flatMap((r) => (r.unit ? [r.unit] : [])))]),
    legacyTarget: legacyTarget!,
    timeoutMs: options.timeoutMs,
  });
};

/** Reads, parses and validates a route table file; every failure names the file. */
export const loadRouteTable = (file: string, options: RouteTableOptions): RouteTable => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid(file, [`${file}: cannot read the route table: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(file, [`${file}: expected valid JSON: ${(e as Error).message}`]);
  }
  return buildRouteTable(json, file, options);
};
