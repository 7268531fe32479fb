import type { ParsedTraceparent } from '@ficus/common/tracing';
import { changeEventSchema, gtidVersion, writeTraceOf, type SourceVersion } from '../events/change-event.ts';
import type { TableMapping } from './table-mapping-type.ts';

export interface IncomingMessage {
  offset: string;
  key: string | null;
  value: string | null;
}

export interface DeadLetter {
  offset: string;
  key: string | null;
  value: string | null;
  code: 'CDC_EVENT_MALFORMED' | 'CDC_MAPPING_FAILED';
  reason: string;
}

export interface PlannedBatch {
  /** Final row per target key (JSON of the key values) to upsert. */
  upserts: Map<string, Record<string, unknown>>;
  deletes: Map<string, Record<string, unknown>>;
  /** The newest source version per key, stored with the write. */
  versions: Map<string, SourceVersion>;
  deadLetters: DeadLetter[];
  /** Older than what is already applied (a redelivery after a fault). */
  stale: number;
  /** Written by the sync itself on the other side: dropped so a change never echoes back. */
  echoes: number;
  /** Tombstones and other messages with nothing to apply. */
  ignored: number;
  /** Commit time at the source of each applied event (for end-to-end lag). */
  sourceTimestamps: number[];
  /** Applied changes whose write was traced (sampled), in offset order: each gets an apply span. */
  traced: TracedChange[];
}

/** An applied change that carries its write's trace context (from `source.query`). */
export interface TracedChange {
  trace: ParsedTraceparent;
  op: 'c' | 'u' | 'd' | 'r';
  offset: string;
  sourceTs: number;
}

export interface PlanOptions {
  mapping: TableMapping;
  /** Versions already applied, by key. */
  applied: ReadonlyMap<string, SourceVersion>;
  /** GTID domain the sync writer uses for its own writes: events from it are echoes. */
  syncDomain: number;
}

export const keyOf = (row: Record<string, unknown>, columns: string[]): string => JSON.stringify(columns.map((c) => row[c] ?? null));

const isNewer = (v: SourceVersion | undefined, than: SourceVersion | undefined): boolean => {
  if (!v) return !than; // a snapshot read only fills a row that streaming has not touched
  if (!than || than.domain !== v.domain) return true;
  return v.seq >= than.seq; // same transaction (equal seq) applies in partition order
};

/** One message after parsing, validation and mapping. */
export type DecodedMessage =
  | { kind: 'change'; op: 'c' | 'u' | 'd' | 'r'; key: string; target: Record<string, unknown>; version: SourceVersion | undefined; sourceTs: number; gtid: string | null; offset: string; trace: ParsedTraceparent | undefined }
  | { kind: 'echo'; gtid: string | null; sourceTs: number }
  | { kind: 'ignored' }
  | { kind: 'dead'; letter: DeadLetter };

const issues = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/** Pure: parse, validate and map each message once. */
export const decodeBatch = (messages: IncomingMessage[], mapping: TableMapping, syncDomain: number): DecodedMessage[] =>
  messages.map((m): DecodedMessage => {
    if (m.value === null) return { kind: 'ignored' }; // tombstone after a delete
    const dead = (code: DeadLetter['code'], reason: string): DecodedMessage => ({ kind: 'dead', letter: { ...m, code, reason } });
    let json: unknown;
    try { json = JSON.parse(m.value); } catch { return dead('CDC_EVENT_MALFORMED', 'value is not JSON'); }
    const parsed = changeEventSchema.safeParse(json);
    if (!parsed.success) return dead('CDC_EVENT_MALFORMED', issues(parsed.error));
    const e = parsed.data;
    const version = gtidVersion(e.source.gtid);
    const gtid = e.source.gtid ?? null;
    if (version && version.domain === syncDomain) return { kind: 'echo', gtid, sourceTs: e.source.ts_ms };
    const image = e.op === 'd' ? e.before : e.after;
    if (!image) return dead('CDC_EVENT_MALFORMED', `op ${e.op} without a row image`);
    const row = mapping.sourceRow.safeParse(image);
    if (!row.success) return dead('CDC_MAPPING_FAILED', `${mapping.sourceTable} row does not fit the mapping: ${issues(row.error)}`);
    let target: Record<string, unknown>;
    let absent: boolean;
    try {
      target = mapping.toTarget(row.data);
      absent = e.op !== 'd' && (mapping.absentWhen?.(row.data) ?? false);
    } catch (err) { return dead('CDC_MAPPING_FAILED', (err as Error).message); }
    return { kind: 'change', op: absent ? 'd' : e.op, key: keyOf(target, mapping.targetKey), target, version, sourceTs: e.source.ts_ms, gtid, offset: m.offset, trace: writeTraceOf(e) };
  });

/** Where a batch leaves its partition in the source's history: its last GTID and commit time. */
export interface BatchProgress { lastGtid: string | null; lastSourceTs: number | null }
export const batchProgress = (decoded: DecodedMessage[]): BatchProgress => {
  for (let i = decoded.length - 1; i >= 0; i--) {
    const d = decoded[i]!;
    if ((d.kind === 'change' || d.kind === 'echo') && d.gtid) return { lastGtid: d.gtid, lastSourceTs: d.sourceTs };
  }
  return { lastGtid: null, lastSourceTs: null };
};

/**
 * Pure planning of one partition's decoded batch, in offset order: drop echoes and stale
 * redeliveries, keep only the last state per key, collect dead letters.
 */
export const planDecoded = (decoded: DecodedMessage[], applied: ReadonlyMap<string, SourceVersion>): PlannedBatch => {
  const plan: PlannedBatch = { upserts: new Map(), deletes: new Map(), versions: new Map(), deadLetters: [], stale: 0, echoes: 0, ignored: 0, sourceTimestamps: [], traced: [] };
  const current = new Map(applied);
  for (const d of decoded) {
    if (d.kind === 'ignored') { plan.ignored += 1; continue; }
    if (d.kind === 'echo') { plan.echoes += 1; continue; }
    if (d.kind === 'dead') { plan.deadLetters.push(d.letter); continue; }
    if (!isNewer(d.version, current.get(d.key))) { plan.stale += 1; continue; }
    if (d.version) { current.set(d.key, d.version); plan.versions.set(d.key, d.version); }
    if (d.op === 'd') { plan.upserts.delete(d.key); plan.deletes.set(d.key, d.target); }
    else { plan.deletes.delete(d.key); plan.upserts.set(d.key, d.target); }
    plan.sourceTimestamps.push(d.sourceTs);
    if (d.trace) plan.traced.push({ trace: d.trace, op: d.op, offset: d.offset, sourceTs: d.sourceTs });
  }
  return plan;
};

/** decodeBatch then planDecoded. */
export const planBatch = (messages: IncomingMessage[], o: PlanOptions): PlannedBatch =>
  planDecoded(decodeBatch(messages, o.mapping, o.syncDomain), o.applied);
