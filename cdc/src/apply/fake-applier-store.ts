import type { ApplierStore } from './applier-store-type.ts';
import type { SourceVersion } from '../events/change-event.ts';

/** In-memory ApplierStore for unit tests: a target table as a Map by key. */
export const createFakeApplierStore = () => {
  const rows = new Map<string, Record<string, unknown>>();
  const versions = new Map<string, SourceVersion>();
  const offsets = new Map<string, bigint>();
  let failNext: Error | undefined;
  const store: ApplierStore = {
    versions: async (stream, keys) => new Map(keys.flatMap((k) => { const v = versions.get(`${stream}|${k}`); return v ? [[k, v] as const] : []; })),
    nextOffset: async (stream, p) => offsets.get(`${stream}|${p.topic}|${p.partition}`),
    apply: async (stream, _mapping, plan, p, next) => {
      if (failNext) { const e = failNext; failNext = undefined; throw e; }
      for (const k of plan.deletes.keys()) rows.delete(k);
      for (const [k, r] of plan.upserts) rows.set(k, r);
      for (const [k, v] of plan.versions) versions.set(`${stream}|${k}`, v);
      offsets.set(`${stream}|${p.topic}|${p.partition}`, next);
    },
  };
  return { store, rows, failNextApply: (e: Error) => { failNext = e; } };
};
