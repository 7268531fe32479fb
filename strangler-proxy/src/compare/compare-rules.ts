import { compilePathPattern, type PathMatcher } from './field-path.ts';

export type NormaliserKind = 'timestamp' | 'uuid' | 'generated-id';

/** Comparison rules as written in shadow-rules.json (paths as strings). */
export interface CompareRulesInput {
  /** Response headers compared (lower case); others are ignored. */
  compareHeaders?: readonly string[];
  /** Body paths left out of the comparison (`$.meta.*`, `$..requestId`). */
  ignore?: readonly string[];
  /** Numbers at these paths match within `absolute` or `relative` (share of the primary's value). */
  tolerance?: readonly { path: string; absolute?: number; relative?: number }[];
  /** Arrays at these paths compared as sets, or element by element matched on a key field. */
  arrays?: readonly ({ path: string; as: 'set' } | { path: string; by: string })[];
  /** Values at these paths replaced by a placeholder when they look like the kind (generated ids: always). */
  normalise?: readonly { path: string; as: NormaliserKind }[];
  /** At most this many differences are listed per comparison (the count is kept). */
  maxDifferences?: number;
}

/** The same rules compiled once at start. */
export interface CompareRules {
  readonly headers: readonly string[];
  readonly ignore: readonly PathMatcher[];
  readonly tolerance: readonly { match: PathMatcher; absolute: number; relative: number }[];
  readonly arrays: readonly { match: PathMatcher; by: string | undefined }[];
  readonly normalisers: readonly { match: PathMatcher; kind: NormaliserKind }[];
  readonly maxDifferences: number;
}

export const defaultCompareHeaders: readonly string[] = ['content-type'];

export const compileCompareRules = (r: CompareRulesInput): CompareRules => Object.freeze({
  headers: Object.freeze((r.compareHeaders ?? defaultCompareHeaders).map((h) => h.toLowerCase())),
  ignore: Object.freeze((r.ignore ?? []).map(compilePathPattern)),
  tolerance: Object.freeze((r.tolerance ?? []).map((t) => ({ match: compilePathPattern(t.path), absolute: t.absolute ?? 0, relative: t.relative ?? 0 }))),
  arrays: Object.freeze((r.arrays ?? []).map((a) => ({ match: compilePathPattern(a.path), by: 'by' in a ? a.by : undefined }))),
  normalisers: Object.freeze((r.normalise ?? []).map((n) => ({ match: compilePathPattern(n.path), kind: n.as }))),
  maxDifferences: r.maxDifferences ?? 100,
});
