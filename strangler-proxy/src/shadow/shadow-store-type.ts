import type { NoiseModel } from '../compare/noise.ts';

/** A difference as stored and shown (values redacted and size-capped). */
export interface StoredDifference {
  where: 'status' | 'header' | 'body';
  path: string;
  field: string;
  kind: 'changed' | 'added' | 'removed';
  primary?: unknown;
  candidate?: unknown;
}

/** One side's response as stored: redacted headers, a redacted size-capped body, size and hash. */
export interface StoredResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Parsed (redacted) JSON body, or redacted text; neither for binary bodies. */
  json?: unknown;
  text?: string;
  bodyBytes?: number;
  bodyHash?: string;
  truncated?: boolean;
  error?: string;
}

export type StoredOutcome = 'mismatch' | 'error' | 'lag';

/** A mismatch (or a comparison error, or a lag) with both requests and both responses, redacted. */
export interface StoredMismatch {
  id: number;
  route: string;
  requestId: string;
  outcome: StoredOutcome;
  reason: string | null;
  at: string;
  method: string;
  /** Path and query, redacted. */
  url: string;
  request: { target: string; headers: Record<string, string>; json?: unknown; text?: string; bodyBytes: number };
  primary: StoredResponse;
  candidate: StoredResponse;
  differences: StoredDifference[];
  noise: StoredDifference[];
  total: number;
  bodyMode: string | null;
}
export type NewMismatch = Omit<StoredMismatch, 'id'>;
export type MismatchSummary = Pick<StoredMismatch, 'id' | 'route' | 'requestId' | 'outcome' | 'reason' | 'at' | 'method' | 'url' | 'total'> & { fields: string[] };

export type FieldClass = 'real' | 'noise' | 'legacy' | 'lag';
export interface FieldCount { route: string; field: string; cls: FieldClass; count: number; lastRequestId: string }
export type FieldDelta = FieldCount;

/** Counter names kept per route (see docs/components/shadow-traffic.md). */
export const counterNames = ['mirrored', 'sampled_out', 'shed', 'unsafe_skipped', 'streamed_body', 'compared', 'matched', 'mismatched', 'noise', 'lag', 'errors', 'skipped', 'oversize', 'noise_pairs'] as const;
export type CounterName = (typeof counterNames)[number];
export type RouteCounts = Partial<Record<CounterName, number>>;

/** The port the recorder and the reports need; knex (MariaDB) and in-memory implementations. */
export interface ShadowStore {
  addCounts(counts: Record<string, RouteCounts>, fields: readonly FieldDelta[]): Promise<void>;
  saveMismatch(m: NewMismatch): Promise<number>;
  counts(): Promise<Record<string, RouteCounts>>;
  /** Top fields by count (optionally one route and one class). */
  fields(q: { route?: string; cls?: FieldClass; limit: number }): Promise<FieldCount[]>;
  mismatches(q: { route?: string; outcome?: StoredOutcome; limit: number; beforeId?: number }): Promise<MismatchSummary[]>;
  mismatch(id: number): Promise<StoredMismatch | undefined>;
  /** Learned legacy noise per route (fields of class `legacy` and the `noise_pairs` counter). */
  noiseModels(): Promise<Record<string, NoiseModel>>;
  /**
   * Deletes mismatch records stored before `olderThan` and all but the newest `keep` (counters and
   * field counts stay); how many were deleted. Idempotent, so every replica may run it.
   */
  prune(o: { olderThan?: Date; keep: number }): Promise<number>;
  close(): Promise<void>;
}
