import { z } from 'zod';
import { traceparentFromSql, type ParsedTraceparent } from '@ficus/common/tracing';

/** A Debezium change event as Kafka Connect's JSON converter writes it without schemas. */
export const changeEventSchema = z.object({
  op: z.enum(['c', 'u', 'd', 'r']),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  source: z.object({
    db: z.string(),
    table: z.string().nullable().optional(),
    file: z.string().optional(),
    pos: z.number().optional(),
    row: z.number().optional(),
    gtid: z.string().nullable().optional(),
    snapshot: z.union([z.string(), z.boolean()]).nullable().optional(),
    /** The statement that made the change (Debezium's `include.query`, MariaDB's annotate rows events). */
    query: z.string().nullable().optional(),
    ts_ms: z.number(),
  }).passthrough(),
  ts_ms: z.number(),
}).passthrough();
export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** Where a change comes from in the source's history: its MariaDB GTID (one per transaction). */
export interface SourceVersion {
  domain: number;
  seq: number;
}

/** `0-1-42` → {domain 0, seq 42}; snapshot reads carry no GTID. */
export const gtidVersion = (gtid: string | null | undefined): SourceVersion | undefined => {
  if (!gtid) return undefined;
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(gtid);
  return m ? { domain: Number(m[1]), seq: Number(m[3]) } : undefined;
};

/**
 * The trace context of the write that made the change, when it was sent in a sampled span with a
 * `traceparent` comment (`withSqlTraceComments`): the CDC's apply span joins that trace. Undefined
 * for everything else (snapshot reads, writes without the comment or in an unsampled span).
 */
export const writeTraceOf = (e: ChangeEvent): ParsedTraceparent | undefined => {
  const t = traceparentFromSql(e.source.query);
  return t?.sampled ? t : undefined;
};
