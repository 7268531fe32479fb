import type { ParitySide } from './parity-side-type.ts';

/** An in-memory side for unit tests: rows by key; counts every query so tests can see the drilling. */
export const createFakeParitySide = (rows: Map<number, Record<string, string | null>>) => {
  const calls = { bounds: 0, chunk: 0, rowHashes: 0, rows: 0 };
  const hashOf = (r: Record<string, string | null>) => {
    // FNV-1a over the joined values: deterministic, order-dependent within a row
    let h = 0xcbf29ce484222325n;
    for (const ch of Object.values(r).map((v) => v ?? '\\N').join('\u001f')) { h ^= BigInt(ch.charCodeAt(0)); h = (h * 0x100000001b3n) & 0xffffffffffffffffn; }
    return h;
  };
  const inRange = (lo: number, hi: number) => [...rows.entries()].filter(([k]) => k >= lo && k < hi);
  const side: ParitySide & { calls: typeof calls } = {
    calls,
    async bounds() {
      calls.bounds++;
      if (!rows.size) return null;
      const keys = [...rows.keys()];
      return { min: Math.min(...keys), max: Math.max(...keys), count: rows.size };
    },
    async chunk(lo, hi) {
      calls.chunk++;
      const r = inRange(lo, hi);
      return { count: r.length, hash: r.reduce((x, [, v]) => x ^ hashOf(v), 0n).toString(16) };
    },
    async rowHashes(lo, hi) { calls.rowHashes++; return inRange(lo, hi).map(([key, v]) => ({ key, hash: hashOf(v).toString(16) })); },
    async rows(keys) { calls.rows++; return new Map(keys.filter((k) => rows.has(k)).map((k) => [k, rows.get(k)!])); },
  };
  return side;
};
