import type { NoiseModel } from '../compare/noise.ts';
import type { FieldCount, FieldDelta, MismatchSummary, NewMismatch, RouteCounts, ShadowStore, StoredMismatch } from './shadow-store-type.ts';

const summary = (m: StoredMismatch): MismatchSummary => ({
  id: m.id, route: m.route, requestId: m.requestId, outcome: m.outcome, reason: m.reason, at: m.at, method: m.method, url: m.url, total: m.total,
  fields: [...new Set(m.differences.map((d) => d.field))],
});

/** In-memory store (unit tests, and a proxy run without a database); keeps the last `maxMismatches`. */
export const createFakeShadowStore = (maxMismatches = 10_000): ShadowStore & { rows: StoredMismatch[] } => {
  const counts: Record<string, RouteCounts> = {};
  const fields = new Map<string, FieldCount>();
  const rows: StoredMismatch[] = [];
  let nextId = 1;
  return {
    rows,
    async addCounts(delta, fieldDeltas: readonly FieldDelta[]) {
      for (const [route, c] of Object.entries(delta)) {
        const into = (counts[route] ??= {});
        for (const [k, v] of Object.entries(c) as Array<[keyof RouteCounts, number]>) into[k] = (into[k] ?? 0) + v;
      }
      for (const f of fieldDeltas) {
        const key = `${f.route}\u0000${f.field}\u0000${f.cls}`;
        const had = fields.get(key);
        fields.set(key, { ...f, count: (had?.count ?? 0) + f.count });
      }
    },
    async saveMismatch(m: NewMismatch) {
      const row = structuredClone({ ...m, id: nextId++ });
      rows.push(row);
      if (rows.length > maxMismatches) rows.shift();
      return row.id;
    },
    async counts() { return structuredClone(counts); },
    async fields(q) {
      return [...fields.values()].filter((f) => (!q.route || f.route === q.route) && (!q.cls || f.cls === q.cls))
        .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field)).slice(0, q.limit).map((f) => ({ ...f }));
    },
    async mismatches(q) {
      return rows.filter((m) => (!q.route || m.route === q.route) && (!q.outcome || m.outcome === q.outcome) && (q.beforeId === undefined || m.id < q.beforeId))
        .reverse().slice(0, q.limit).map(summary);
    },
    async mismatch(id) { const m = rows.find((r) => r.id === id); return m && structuredClone(m); },
    async noiseModels() {
      const out: Record<string, NoiseModel> = {};
      for (const f of fields.values()) if (f.cls === 'legacy') (out[f.route] ??= { pairs: counts[f.route]?.noise_pairs ?? 0, fields: {} }).fields[f.field] = f.count;
      return out;
    },
    async prune(o) {
      const before = rows.length;
      const cutoff = o.olderThan?.toISOString();
      const kept = rows.filter((r) => cutoff === undefined || r.at >= cutoff).slice(-o.keep);
      rows.splice(0, rows.length, ...kept);
      return before - rows.length;
    },
    async close() {},
  };
};
export { summary as mismatchSummary };
