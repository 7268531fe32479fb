import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FicusError } from '@ficus/common/core';
import { compileCompareRules, type CompareRules } from '../compare/compare-rules.ts';
import { parsePathPattern } from '../compare/field-path.ts';
import { builtInRedaction, compileRedaction, type Redaction } from '../compare/redact.ts';

const path = z.string({ error: 'expected a path string like "$.items[*].price"' }).superRefine((p, ctx) => {
  const parts = parsePathPattern(p);
  if (typeof parts === 'string') ctx.addIssue({ code: 'custom', message: parts });
});
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name').transform((s) => s.toLowerCase());
const int = (min: number, max: number) => z.number({ error: 'expected a number' }).int('expected a whole number').min(min, `expected at least ${min}`).max(max, `expected at most ${max}`);

/** One route's shadow rules (every field optional; `defaults` fills the gaps). See docs/components/shadow-traffic.md. */
export const shadowRouteRulesSchema = z.strictObject({
  /** Share of shadow-mode requests mirrored, 0–1 (after the flag's own rollout percentage). */
  sampleRate: z.number({ error: 'expected a number between 0 and 1' }).min(0, 'expected 0–1').max(1, 'expected 0–1'),
  /** Copies sent to the service at once for this route. */
  maxConcurrency: int(1, 1024),
  /** Copies waiting for a slot; beyond it a copy is shed (counted), never queued. */
  maxQueue: int(0, 100_000),
  /** Time for the shadow's response (headers and body). */
  timeoutMs: int(1, 600_000),
  /** Bytes of each side's body held for comparison; above it the bodies are compared by sha256. */
  maxBodyBytes: int(0, 64 << 20),
  compareHeaders: z.array(headerName),
  ignore: z.array(path),
  tolerance: z.array(z.strictObject({ path, absolute: z.number().min(0).optional(), relative: z.number().min(0).optional() })
    .refine((t) => t.absolute !== undefined || t.relative !== undefined, 'expected "absolute" or "relative"')),
  arrays: z.array(z.union([z.strictObject({ path, as: z.literal('set') }), z.strictObject({ path, by: z.string().min(1) })], { error: 'expected { "path", "as": "set" } or { "path", "by": "<key field>" }' })),
  normalise: z.array(z.strictObject({ path, as: z.enum(['timestamp', 'uuid', 'generated-id'], { error: 'expected "timestamp", "uuid" or "generated-id"' }) })),
  maxDifferences: int(1, 10_000),
  /** Diffy's noise cancellation: ask legacy a second time; fields that differ between its two answers are noise. */
  noise: z.strictObject({ secondLegacyCall: z.boolean(), minCount: int(1, 1_000_000).default(1) }),
  /** Data still syncing: a mismatching read is compared again after this wait; what then matches is lag. */
  readAfterWrite: z.strictObject({ maxWaitMs: int(1, 120_000) }),
  /**
   * How an unsafe request (POST, PUT, PATCH, DELETE) may be mirrored without a double write: to a
   * sandbox target (a service instance on a throwaway database), or only when it carries an
   * idempotency key the service honours. Without this, unsafe requests are never mirrored.
   */
  writes: z.union([
    z.strictObject({ safeBy: z.literal('sandbox'), target: z.string().min(1) }),
    z.strictObject({ safeBy: z.literal('idempotency-key'), header: headerName.default('idempotency-key') }),
  ], { error: 'expected { "safeBy": "sandbox", "target": "<target name>" } or { "safeBy": "idempotency-key", "header": "idempotency-key" }' }),
  /** Added to the built-in redaction (passwords, tokens, card numbers, e-mails, cookies). */
  redact: z.strictObject({ paths: z.array(path).default([]), headers: z.array(headerName).default([]), query: z.array(z.string()).default([]) }),
  /** Characters of each body kept with a stored mismatch. */
  storeBodyBytes: int(0, 1 << 20),
}).partial();
export type ShadowRouteRulesInput = z.input<typeof shadowRouteRulesSchema>;

export const shadowRulesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  defaults: shadowRouteRulesSchema.default({}),
  routes: z.record(z.string(), shadowRouteRulesSchema).default({}),
});
export type ShadowRulesInput = z.input<typeof shadowRulesFileSchema>;

export type WriteSafety = { kind: 'sandbox'; target: string; targetName: string } | { kind: 'idempotency-key'; header: string };

/** One route's rules, compiled once at start. */
export interface ShadowRouteRules {
  readonly sampleRate: number;
  readonly maxConcurrency: number;
  readonly maxQueue: number;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly compare: CompareRules;
  readonly noise: { readonly secondLegacyCall: boolean; readonly minCount: number } | undefined;
  readonly readAfterWriteMs: number | undefined;
  readonly writes: WriteSafety | undefined;
  readonly redaction: Redaction;
  readonly storeBodyBytes: number;
}

export interface ShadowRules {
  forRoute(routeId: string): ShadowRouteRules;
  readonly routeIds: readonly string[];
}

export const builtInRouteRules = {
  sampleRate: 1, maxConcurrency: 16, maxQueue: 64, timeoutMs: 5_000, maxBodyBytes: 1 << 20, maxDifferences: 100, storeBodyBytes: 16_384,
} as const;

const invalid = (source: string, problems: string[]) =>
  new FicusError('SHADOW_RULES_INVALID', `invalid shadow rules\n  ${problems.join('\n  ')}`, { details: { source, problems } });

type Parsed = z.output<typeof shadowRouteRulesSchema>;

const compileRoute = (d: Parsed, r: Parsed, targets: Readonly<Record<string, string>>): ShadowRouteRules => {
  const pick = <K extends keyof Parsed>(k: K) => (r[k] ?? d[k]);
  const list = <K extends 'ignore' | 'tolerance' | 'arrays' | 'normalise'>(k: K) => [...(d[k] ?? []), ...(r[k] ?? [])] as NonNullable<Parsed[K]>;
  const w = pick('writes');
  const writes: WriteSafety | undefined = !w ? undefined
    : w.safeBy === 'sandbox' ? { kind: 'sandbox', target: targets[w.target]!, targetName: w.target }
    : { kind: 'idempotency-key', header: w.header };
  return Object.freeze({
    sampleRate: pick('sampleRate') ?? builtInRouteRules.sampleRate,
    maxConcurrency: pick('maxConcurrency') ?? builtInRouteRules.maxConcurrency,
    maxQueue: pick('maxQueue') ?? builtInRouteRules.maxQueue,
    timeoutMs: pick('timeoutMs') ?? builtInRouteRules.timeoutMs,
    maxBodyBytes: pick('maxBodyBytes') ?? builtInRouteRules.maxBodyBytes,
    compare: compileCompareRules({
      compareHeaders: pick('compareHeaders'),
      ignore: list('ignore'), tolerance: list('tolerance'), arrays: list('arrays'), normalise: list('normalise'),
      maxDifferences: pick('maxDifferences') ?? builtInRouteRules.maxDifferences,
    }),
    noise: pick('noise'),
    readAfterWriteMs: pick('readAfterWrite')?.maxWaitMs,
    writes,
    redaction: compileRedaction(builtInRedaction, d.redact ?? {}, r.redact ?? {}),
    storeBodyBytes: pick('storeBodyBytes') ?? builtInRouteRules.storeBodyBytes,
  });
};

/**
 * Validates and compiles shadow rules. Throws SHADOW_RULES_INVALID with one line per mistake:
 * `<source>: routes["catalog"].ignore.0: expected a path starting with "$" …`. Route ids must be in
 * the route table; sandbox targets must be configured targets.
 */
export const buildShadowRules = (input: unknown, source: string, o: { routeIds: readonly string[]; targets: Readonly<Record<string, string>> }): ShadowRules => {
  const parsed = shadowRulesFileSchema.safeParse(input ?? {});
  const where = (p: PropertyKey[]) => p.map((s, i) => (i === 1 && p[0] === 'routes' ? `["${String(s)}"]` : `${i ? '.' : ''}${String(s)}`)).join('') || '(root)';
  if (!parsed.success) {
    throw invalid(source, parsed.error.issues.map((i) => {
      const message = i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message;
      return `${source}: ${where(i.path)}: ${message}`;
    }));
  }
  const problems: string[] = [];
  const known = new Set(o.routeIds);
  const targetNames = Object.keys(o.targets).join(', ');
  for (const [id, r] of Object.entries(parsed.data.routes)) {
    if (!known.has(id)) problems.push(`${source}: routes["${id}"]: expected a route id from the route table (${o.routeIds.join(', ') || 'none'})`);
    if (r.writes?.safeBy === 'sandbox' && !o.targets[r.writes.target]) problems.push(`${source}: routes["${id}"].writes.target: expected a known target (${targetNames}), found "${r.writes.target}"`);
  }
  const dw = parsed.data.defaults.writes;
  if (dw?.safeBy === 'sandbox' && !o.targets[dw.target]) problems.push(`${source}: defaults.writes.target: expected a known target (${targetNames}), found "${dw.target}"`);
  if (problems.length) throw invalid(source, problems);
  const defaults = compileRoute({}, parsed.data.defaults, o.targets);
  const byRoute = new Map(Object.entries(parsed.data.routes).map(([id, r]) => [id, compileRoute(parsed.data.defaults, r, o.targets)]));
  return Object.freeze({
    forRoute: (routeId: string) => byRoute.get(routeId) ?? defaults,
    routeIds: Object.freeze([...byRoute.keys()]),
  });
};

/** Reads and validates a shadow rules file; a missing file means built-in defaults for every route. */
export const loadShadowRules = (file: string, o: { routeIds: readonly string[]; targets: Readonly<Record<string, string>> }): ShadowRules => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return buildShadowRules({}, file, o);
    throw invalid(file, [`${file}: cannot read the shadow rules: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(file, [`${file}: expected valid JSON: ${(e as Error).message}`]);
  }
  return buildShadowRules(json, file, o);
};
