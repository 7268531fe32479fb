import type { FieldCount, MismatchSummary, RouteCounts, ShadowStore } from './shadow-store-type.ts';

export interface RouteReport {
  route: string;
  counts: RouteCounts;
  /** Share of compared exchanges that were not real mismatches (noise and lag are not divergence); null before any comparison. */
  matchRate: number | null;
  /** Fields with real differences, most frequent first, with the last request id that showed each. */
  topFields: Array<Pick<FieldCount, 'field' | 'count' | 'lastRequestId'>>;
  /** Fields set apart as noise (candidate differences on nondeterministic fields) and learned from legacy's two answers. */
  noiseFields: Array<Pick<FieldCount, 'field' | 'count' | 'cls'>>;
  lagFields: Array<Pick<FieldCount, 'field' | 'count'>>;
  /** Latest stored mismatches (ids for the admin API and the page, request ids for the logs). */
  examples: Array<Pick<MismatchSummary, 'id' | 'requestId' | 'outcome' | 'at' | 'method' | 'url'>>;
}

export const matchRate = (c: RouteCounts): number | null => {
  const compared = c.compared ?? 0;
  return compared === 0 ? null : (compared - (c.mismatched ?? 0)) / compared;
};

/** Per-route report built from the store (counters, per-field counts, latest mismatches). */
export const buildRouteReports = async (store: ShadowStore, routeIds: readonly string[], o: { route?: string; fields: number; examples: number }): Promise<RouteReport[]> => {
  const counts = await store.counts();
  const ids = o.route ? [o.route] : [...new Set([...routeIds, ...Object.keys(counts)])];
  return Promise.all(ids.map(async (route): Promise<RouteReport> => {
    const [real, noise, legacy, lag, examples] = await Promise.all([
      store.fields({ route, cls: 'real', limit: o.fields }),
      store.fields({ route, cls: 'noise', limit: o.fields }),
      store.fields({ route, cls: 'legacy', limit: o.fields }),
      store.fields({ route, cls: 'lag', limit: o.fields }),
      store.mismatches({ route, outcome: 'mismatch', limit: o.examples }),
    ]);
    const c = counts[route] ?? {};
    return {
      route, counts: c, matchRate: matchRate(c),
      topFields: real.map((f) => ({ field: f.field, count: f.count, lastRequestId: f.lastRequestId })),
      noiseFields: [...noise, ...legacy].map((f) => ({ field: f.field, count: f.count, cls: f.cls })),
      lagFields: lag.map((f) => ({ field: f.field, count: f.count })),
      examples: examples.map((m) => ({ id: m.id, requestId: m.requestId, outcome: m.outcome, at: m.at, method: m.method, url: m.url })),
    };
  }));
};
