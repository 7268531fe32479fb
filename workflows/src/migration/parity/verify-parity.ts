import type { ParitySide } from './parity-side-type.ts';

export interface ColumnDifference { column: string; legacy: string | null; service: string | null }
export interface RowDifference {
  /** missing: in legacy, not in the service; extra: in the service only; changed: both, different values. */
  kind: 'missing' | 'extra' | 'changed';
  key: number;
  columns?: ColumnDifference[];
}

export interface ParityResult {
  table: string;
  clean: boolean;
  legacyRows: number;
  serviceRows: number;
  /** Row pairs compared (per chunk the larger side's count). */
  rowsCompared: number;
  chunks: number;
  mismatchedChunks: number;
  differences: RowDifference[];
  /** Differences found beyond `maxReported` are counted, not listed. */
  differencesTotal: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface VerifyOptions {
  /** Rows per top-level chunk (estimated from the key density). Default 10,000. */
  chunkRows?: number;
  /** A mismatching range with at most this many rows is compared row by row; above, it is split. Default 2,000. */
  drillRows?: number;
  /** Sub-ranges per split. Default 8. */
  fanout?: number;
  /** Chunks checked at once. Default 4. */
  concurrency?: number;
  /** Differences listed in full (with column values). Default 100. */
  maxReported?: number;
  onProgress?: (p: { chunksDone: number; chunks: number; rowsCompared: number }) => void;
  now?: () => number;
}

interface Range { lo: number; hi: number }

/** Splits [lo, hi) into at most n non-empty consecutive integer ranges. Pure. */
export const splitRange = ({ lo, hi }: Range, n: number): Range[] => {
  const width = Math.max(1, Math.ceil((hi - lo) / n));
  const out: Range[] = [];
  for (let a = lo; a < hi; a += width) out.push({ lo: a, hi: Math.min(hi, a + width) });
  return out;
};

/** Top-level chunks over both sides' key span, sized so each holds about `chunkRows` rows. Pure. */
export const planChunks = (a: { min: number; max: number; count: number } | null, b: { min: number; max: number; count: number } | null, chunkRows: number): Range[] => {
  const present = [a, b].filter((x): x is NonNullable<typeof x> => x !== null);
  if (!present.length) return [];
  const lo = Math.min(...present.map((x) => x.min));
  const hi = Math.max(...present.map((x) => x.max)) + 1;
  const rows = Math.max(...present.map((x) => x.count), 1);
  const chunks = Math.max(1, Math.ceil(rows / chunkRows));
  return splitRange({ lo, hi }, chunks);
};

/** Row-level diff of two sorted-or-not key/hash lists. Pure. */
export const diffRowHashes = (legacy: Array<{ key: number; hash: string }>, service: Array<{ key: number; hash: string }>): RowDifference[] => {
  const s = new Map(service.map((r) => [r.key, r.hash]));
  const out: RowDifference[] = [];
  for (const r of legacy) {
    const h = s.get(r.key);
    if (h === undefined) out.push({ kind: 'missing', key: r.key });
    else if (h !== r.hash) out.push({ kind: 'changed', key: r.key });
    s.delete(r.key);
  }
  for (const key of s.keys()) out.push({ kind: 'extra', key });
  return out.sort((x, y) => x.key - y.key);
};

const pool = async <T>(items: T[], n: number, fn: (t: T) => Promise<void>) => {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
};

/**
 * Compares a legacy table with its service table as pt-table-checksum does: count + hash per
 * primary-key chunk on each side (computed by the database), then only the chunks that differ are
 * split down to ranges small enough to compare row hashes, and only the rows that differ are read.
 */
export const verifyParity = async (table: string, legacy: ParitySide, service: ParitySide, o: VerifyOptions = {}): Promise<ParityResult> => {
  const now = o.now ?? Date.now;
  const started = now();
  const chunkRows = o.chunkRows ?? 10_000;
  const drillRows = o.drillRows ?? 2_000;
  const fanout = Math.max(2, o.fanout ?? 8);
  const maxReported = o.maxReported ?? 100;
  const [lb, sb] = await Promise.all([legacy.bounds(), service.bounds()]);
  const chunks = planChunks(lb, sb, chunkRows);
  const differences: RowDifference[] = [];
  let rowsCompared = 0;
  let mismatchedChunks = 0;
  let chunksDone = 0;

  const drill = async (range: Range, counts: { l: number; s: number }): Promise<void> => {
    if (Math.max(counts.l, counts.s) <= drillRows || range.hi - range.lo <= 1) {
      const [l, s] = await Promise.all([legacy.rowHashes(range.lo, range.hi), service.rowHashes(range.lo, range.hi)]);
      differences.push(...diffRowHashes(l, s));
      return;
    }
    for (const sub of splitRange(range, fanout)) {
      const [l, s] = await Promise.all([legacy.chunk(sub.lo, sub.hi), service.chunk(sub.lo, sub.hi)]);
      if (l.count !== s.count || l.hash !== s.hash) await drill(sub, { l: l.count, s: s.count });
    }
  };

  await pool(chunks, o.concurrency ?? 4, async (range) => {
    const [l, s] = await Promise.all([legacy.chunk(range.lo, range.hi), service.chunk(range.lo, range.hi)]);
    if (l.count !== s.count || l.hash !== s.hash) {
      mismatchedChunks++;
      await drill(range, { l: l.count, s: s.count });
    }
    rowsCompared += Math.max(l.count, s.count);
    chunksDone++;
    o.onProgress?.({ chunksDone, chunks: chunks.length, rowsCompared });
  });

  differences.sort((x, y) => x.key - y.key);
  const reported = differences.slice(0, maxReported);
  const changed = reported.filter((d) => d.kind === 'changed').map((d) => d.key);
  if (changed.length) {
    const [lr, sr] = await Promise.all([legacy.rows(changed), service.rows(changed)]);
    for (const d of reported) {
      if (d.kind !== 'changed') continue;
      const a = lr.get(d.key) ?? {};
      const b = sr.get(d.key) ?? {};
      d.columns = Object.keys(a).filter((c) => a[c] !== b[c]).map((c) => ({ column: c, legacy: a[c] ?? null, service: b[c] ?? null }));
    }
  }
  const elapsedMs = Math.max(1, now() - started);
  return {
    table, clean: differences.length === 0, legacyRows: lb?.count ?? 0, serviceRows: sb?.count ?? 0, rowsCompared, chunks: chunks.length, mismatchedChunks,
    differences: reported, differencesTotal: differences.length, elapsedMs, rowsPerSecond: Math.round(rowsCompared / (elapsedMs / 1000)),
  };
};
